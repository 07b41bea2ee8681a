import type Database from 'better-sqlite3';
import { recordSource, type ImportSummary } from './source-record.js';

/** The source id of the Debian security tracker. */
export const DEBIAN_SOURCE = 'debian-security-tracker';

interface TrackerRelease {
  status?: string;
  fixed_version?: string;
  urgency?: string;
}

/** Whether a document has the tracker's shape: source package → issue → `releases`. */
export function looksLikeDebianTracker(doc: unknown): doc is Record<string, Record<string, { releases?: Record<string, TrackerRelease> }>> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const first = Object.values(doc)[0] as unknown;
  if (typeof first !== 'object' || first === null) return false;
  const issue = Object.values(first)[0] as { releases?: unknown } | undefined;
  return typeof issue === 'object' && issue !== null && typeof issue.releases === 'object';
}

/**
 * Imports the Debian security tracker's JSON (`security-tracker.debian.org/tracker/data/json`):
 * for each source package, issue and release codename, the release's status. A `resolved` issue
 * with fixed version `0` never affected the release and is not kept; otherwise the fixed version
 * (absent while `open` or `undetermined`) is what a package's source version is compared with,
 * so a fix backported to the release's own version counts as a fix. The tracker is a full
 * snapshot: it replaces the previous import whole. `unimportant` issues are kept with that severity.
 */
export function importDebianTracker(db: Database.Database, doc: ReturnType<typeof JSON.parse>, file: string, sourceDate: string, now: string): ImportSummary {
  if (!looksLikeDebianTracker(doc)) throw new Error(`${file}: not the Debian security tracker's JSON`);
  let records = 0;
  let notAffected = 0;
  db.transaction(() => {
    db.prepare('DELETE FROM os_advisories WHERE source = ?').run(DEBIAN_SOURCE);
    const insert = db.prepare("INSERT OR REPLACE INTO os_advisories (source, distro, release, package, vuln_id, fixed_version, severity) VALUES (?, 'debian', ?, ?, ?, ?, ?)");
    for (const [pkg, issues] of Object.entries(doc)) {
      for (const [vulnId, issue] of Object.entries(issues)) {
        for (const [release, state] of Object.entries(issue.releases ?? {})) {
          const fixed = state.status === 'resolved' ? state.fixed_version : undefined;
          if (state.status === 'resolved' && (fixed === undefined || fixed === '0')) {
            notAffected++;
            continue;
          }
          const severity = state.urgency?.replace(/\*+$/, '');
          insert.run(DEBIAN_SOURCE, release, pkg, vulnId, fixed ?? null, severity && severity !== 'not yet assigned' ? severity : null);
          records++;
        }
      }
    }
    recordSource(db, { id: DEBIAN_SOURCE, kind: 'debian', file, sourceDate, importedAt: now, records });
  })();
  return { sources: [{ id: DEBIAN_SOURCE, kind: 'debian', file, sourceDate, importedAt: now, records }], skipped: notAffected ? { 'not affected': notAffected } : {} };
}
