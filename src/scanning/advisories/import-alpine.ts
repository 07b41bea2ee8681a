import type Database from 'better-sqlite3';
import { recordSource, type ImportSummary } from './source-record.js';

interface SecDb {
  distroversion: string;
  reponame?: string;
  packages: { pkg: { name: string; secfixes?: Record<string, string[] | null> } }[];
}

export function looksLikeAlpineSecDb(doc: unknown): doc is SecDb {
  const d = doc as Partial<SecDb> | null;
  return typeof d === 'object' && d !== null && typeof d.distroversion === 'string' && Array.isArray(d.packages);
}

/**
 * Imports one of Alpine's secdb files (`secdb.alpinelinux.org/v3.19/main.json`): per origin package,
 * the versions that fixed which issues. Every version below a fix is affected (secdb lists no
 * introduction); the pseudo-version `0` marks issues that never affected Alpine's package and is
 * not kept. An entry may name several ids, space-separated. Each file replaces the previous import
 * of the same release and repository.
 */
export function importAlpineSecDb(db: Database.Database, doc: unknown, file: string, sourceDate: string, now: string): ImportSummary {
  if (!looksLikeAlpineSecDb(doc)) throw new Error(`${file}: not an Alpine secdb file`);
  const release = doc.distroversion;
  const id = `alpine-secdb:${release}:${doc.reponame ?? 'main'}`;
  let records = 0;
  db.transaction(() => {
    db.prepare('DELETE FROM os_advisories WHERE source = ?').run(id);
    const insert = db.prepare("INSERT OR REPLACE INTO os_advisories (source, distro, release, package, vuln_id, fixed_version, severity) VALUES (?, 'alpine', ?, ?, ?, ?, NULL)");
    for (const { pkg } of doc.packages) {
      for (const [fixed, ids] of Object.entries(pkg.secfixes ?? {})) {
        if (fixed === '0') continue;
        for (const vulnId of (ids ?? []).flatMap((s) => s.split(/\s+/)).filter(Boolean)) {
          insert.run(id, release, pkg.name, vulnId, fixed);
          records++;
        }
      }
    }
    recordSource(db, { id, kind: 'alpine', file, sourceDate, importedAt: now, records });
  })();
  return { sources: [{ id, kind: 'alpine', file, sourceDate, importedAt: now, records }], skipped: {} };
}
