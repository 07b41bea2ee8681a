import Database from 'better-sqlite3';
import { parseRpmHeader, TAG } from './rpm-header.js';
import type { InstalledPackage } from './types.js';

/** `openssl-3.0.7-27.el9.src.rpm` → `openssl`: the source package's name, before its version and release. */
export function sourceRpmName(sourceRpm: string): string | undefined {
  const m = /^(.+)-[^-]+-[^-]+\.(?:no)?src\.rpm$/.exec(sourceRpm);
  return m?.[1];
}

/**
 * The packages of an rpm database in its SQLite form (`rpmdb.sqlite`, rpm ≥ 4.16): the Packages
 * table holds one header blob per installed package. The file is opened from memory, read-only;
 * a database left in WAL mode is marked as a rollback-journal one in the copy (bytes 18–19 of the
 * SQLite header), since an in-memory image has no `-wal` file to read.
 */
export function parseRpmdbSqlite(file: Buffer, path: string): InstalledPackage[] {
  const copy = Buffer.from(file);
  if (copy.length >= 20 && copy[18] === 2) copy[18] = 1;
  if (copy.length >= 20 && copy[19] === 2) copy[19] = 1;
  const db = new Database(copy, { readonly: true });
  try {
    const rows = db.prepare('SELECT blob FROM Packages').all() as { blob: Buffer }[];
    const packages: InstalledPackage[] = [];
    for (const row of rows) {
      const h = parseRpmHeader(row.blob);
      const name = h.get(TAG.NAME);
      const version = h.get(TAG.VERSION);
      if (typeof name !== 'string' || typeof version !== 'string') continue;
      // gpg-pubkey entries are keys imported into the database, not software.
      if (name === 'gpg-pubkey') continue;
      const epoch = h.get(TAG.EPOCH);
      const release = h.get(TAG.RELEASE);
      const full = `${typeof epoch === 'number' && epoch > 0 ? `${epoch}:` : ''}${version}${typeof release === 'string' ? `-${release}` : ''}`;
      const sourceRpm = h.get(TAG.SOURCERPM);
      const arch = h.get(TAG.ARCH);
      packages.push({
        type: 'rpm',
        name,
        version: full,
        sourceName: (typeof sourceRpm === 'string' && sourceRpmName(sourceRpm)) || name,
        sourceVersion: full,
        ...(typeof arch === 'string' && { arch }),
        path,
      });
    }
    return packages;
  } finally {
    db.close();
  }
}
