import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Data dir folders written in the background, whatever the requests (the task network sandbox pool). */
const BACKGROUND_DIRS = [
  ['network', 'pool'],
  ['network', 'ipam'],
];

/**
 * A fingerprint of everything a platform keeps in its data dir: every row of every table of
 * `minato.db`, `logs.db` and `metrics.db` (read through connections of its own), and the name and size of every
 * other file but the network sandbox pool's and its address leases. Two equal fingerprints mean nothing was stored in between.
 */
export class StateDigest {
  private readonly dbs: Database.Database[];

  constructor(private readonly dataDir: string) {
    this.dbs = ['minato.db', 'logs.db', 'metrics.db']
      .map((name) => join(dataDir, name))
      .filter((path) => existsSync(path))
      .map((path) => new Database(path, { readonly: true, fileMustExist: true }));
  }

  /** The fingerprint now. */
  take(): string {
    const hash = createHash('sha256');
    for (const db of this.dbs) {
      // Not sqlite_sequence: an AUTOINCREMENT counter moves when an insert is refused by a unique
      // key (a CreateLogGroup of an existing group), and holds nothing of the request.
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence' ORDER BY name")
        .pluck()
        .all() as string[];
      for (const table of tables) {
        hash.update(`\u0000${table}\u0000`);
        for (const row of db.prepare(`SELECT * FROM "${table}"`).raw().iterate()) hash.update(JSON.stringify(row, bigints));
      }
    }
    for (const file of this.files(this.dataDir)) hash.update(`\u0000${file}`);
    return hash.digest('hex');
  }

  /** Closes the connections. */
  close(): void {
    for (const db of this.dbs) db.close();
  }

  // The databases' own files change with checkpoints; their content is compared above. The task
  // network sandbox pool fills in the background whatever the requests are: its records and the
  // address leases it takes are left out.
  private files(dir: string): string[] {
    const out: string[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && BACKGROUND_DIRS.some((d) => path === join(this.dataDir, ...d))) continue;
      if (entry.isDirectory()) out.push(...this.files(path));
      else if (!/\.db(-wal|-shm|-journal)?$/.test(entry.name)) out.push(`${path}:${statSync(path).size}`);
    }
    return out.sort();
  }
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
