import type Database from 'better-sqlite3';
import type { AdvisorySource } from './advisory-db.js';

/** Records (replacing) one source's row in `advisory_sources`. */
export function recordSource(db: Database.Database, source: AdvisorySource): void {
  db.prepare('INSERT OR REPLACE INTO advisory_sources (id, kind, file, source_date, imported_at, records) VALUES (?, ?, ?, ?, ?, ?)').run(
    source.id,
    source.kind,
    source.file,
    source.sourceDate,
    source.importedAt,
    source.records,
  );
}

/** What an import did, per source. */
export interface ImportSummary {
  sources: AdvisorySource[];
  /** Records read but not kept, with why (an ecosystem the scanner does not match, a withdrawn record). */
  skipped: Record<string, number>;
}
