import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Prepares `file` for a SQLite database that only its owner may read: the file is created 0600
 * (SQLite would create it 0644, the umask permitting), and an existing one, with its `-wal` and
 * `-shm` files, is set to 0600. SQLite gives the `-wal` and `-shm` files it creates later the
 * database file's own mode. `:memory:` is left alone.
 */
export function preparePrivateDatabaseFile(file: string): void {
  if (file === ':memory:') return;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
