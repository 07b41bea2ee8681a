import type Database from 'better-sqlite3';
import { normalizePythonName } from '../inventory/python.js';
import type { AdvisorySource, OsvRange } from './advisory-db.js';
import { recordSource, type ImportSummary } from './source-record.js';

/** The OSV ecosystems whose packages the inventory finds, by the inventory's package type. */
export const OSV_ECOSYSTEMS = { npm: 'npm', python: 'PyPI', go: 'Go', java: 'Maven' } as const;
const KEPT = new Set<string>(Object.values(OSV_ECOSYSTEMS));

interface OsvRecord {
  id: string;
  modified: string;
  withdrawn?: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  severity?: { type: string; score: string }[];
  database_specific?: { severity?: string };
  affected?: { package?: { ecosystem?: string; name?: string }; ranges?: OsvRange[]; versions?: string[] }[];
}

export function looksLikeOsv(doc: unknown): doc is OsvRecord {
  const d = doc as Partial<OsvRecord> | null;
  return typeof d === 'object' && d !== null && typeof d.id === 'string' && typeof d.modified === 'string';
}

/** `Debian:12` → `Debian`: OSV qualifies some ecosystems with a release. */
const baseEcosystem = (ecosystem: string): string => ecosystem.split(':')[0]!;
const packageName = (ecosystem: string, name: string): string => (ecosystem === 'PyPI' ? normalizePythonName(name) : name);

/** The severity a record states: GitHub's word (`database_specific.severity`), else its first CVSS vector. */
function severityOf(record: OsvRecord): string | null {
  return record.database_specific?.severity ?? record.severity?.[0]?.score ?? null;
}

/** The record's CVSS vectors (`severity[]` of type CVSS_V2, CVSS_V3 or CVSS_V4), in its order; null when it has none. */
function cvssOf(record: OsvRecord): string | null {
  const vectors = (record.severity ?? []).filter((s) => /^CVSS_V[234]$/.test(s.type) && typeof s.score === 'string').map((s) => ({ type: s.type, score: s.score }));
  return vectors.length > 0 ? JSON.stringify(vectors) : null;
}

/**
 * Imports OSV records (one file's worth: a single record, an array, or every `.json` of a dump
 * such as `npm/all.zip`) in one transaction. Only the language ecosystems the scanner matches are
 * kept; OS packages are matched against their vendor's own advisories. A record already stored
 * with a newer `modified` is kept; a withdrawn record removes the stored one. Each ecosystem is a
 * source whose date is the newest `modified` among its records.
 */
export function importOsvRecords(db: Database.Database, records: Iterable<unknown>, file: string, now: string): ImportSummary {
  const skipped: Record<string, number> = {};
  const skip = (why: string): void => {
    skipped[why] = (skipped[why] ?? 0) + 1;
  };
  const bySource = new Map<string, { count: number; newest: string }>();
  db.transaction(() => {
    const existing = db.prepare('SELECT modified FROM osv_vulnerabilities WHERE id = ?').pluck();
    const removeVuln = db.prepare('DELETE FROM osv_vulnerabilities WHERE id = ?');
    const removeAffected = db.prepare('DELETE FROM osv_affected WHERE vuln_id = ?');
    const insertVuln = db.prepare('INSERT INTO osv_vulnerabilities (id, source, modified, summary, aliases, severity, cvss) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insertAffected = db.prepare('INSERT INTO osv_affected (vuln_id, ecosystem, package, ranges, versions) VALUES (?, ?, ?, ?, ?)');
    for (const record of records) {
      if (!looksLikeOsv(record)) {
        skip('not an OSV record');
        continue;
      }
      const affected = (record.affected ?? []).filter((a) => a.package?.name && KEPT.has(baseEcosystem(a.package.ecosystem ?? '')));
      if (affected.length === 0) {
        skip('no affected package of a matched ecosystem');
        continue;
      }
      const ecosystem = baseEcosystem(affected[0]!.package!.ecosystem!);
      const source = `osv:${ecosystem}`;
      const stored = existing.get(record.id) as string | undefined;
      if (stored !== undefined && stored > record.modified) {
        skip('older than the stored record');
        continue;
      }
      removeAffected.run(record.id);
      removeVuln.run(record.id);
      if (record.withdrawn) {
        skip('withdrawn');
        continue;
      }
      insertVuln.run(record.id, source, record.modified, record.summary ?? record.details?.slice(0, 200) ?? null, JSON.stringify(record.aliases ?? []), severityOf(record), cvssOf(record));
      for (const a of affected) {
        const eco = baseEcosystem(a.package!.ecosystem!);
        insertAffected.run(record.id, eco, packageName(eco, a.package!.name!), JSON.stringify(a.ranges ?? []), JSON.stringify(a.versions ?? []));
      }
      const s = bySource.get(source) ?? { count: 0, newest: '' };
      s.count++;
      if (record.modified > s.newest) s.newest = record.modified;
      bySource.set(source, s);
    }
    for (const [id, s] of bySource) {
      const before = db.prepare('SELECT source_date FROM advisory_sources WHERE id = ?').pluck().get(id) as string | undefined;
      const total = db.prepare('SELECT COUNT(*) FROM osv_vulnerabilities WHERE source = ?').pluck().get(id) as number;
      recordSource(db, { id, kind: 'osv', file, sourceDate: before !== undefined && before > s.newest ? before : s.newest, importedAt: now, records: total });
    }
  })();
  const sources: AdvisorySource[] = [...bySource.keys()].map((id) => {
    const row = db.prepare('SELECT * FROM advisory_sources WHERE id = ?').get(id) as { source_date: string; records: number };
    return { id, kind: 'osv', file, sourceDate: row.source_date, importedAt: now, records: row.records };
  });
  return { sources, skipped };
}
