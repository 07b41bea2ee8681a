import { chmodSync, mkdirSync, statSync } from 'node:fs';

/** Permission bits of group and others. */
const NOT_OWNER = 0o077;

/**
 * Makes `dir` a private data dir: created with mode 0700, or an existing one that group or others
 * can reach is tightened to 0700, and `warn` says so. Everything minato keeps (the databases, the
 * master key, the runtime's bundles with the containers' environment) is below it, so this one
 * mode keeps other users of the host out of all of it. Tightening rather than refusing: data dirs
 * made before (mode 0755 from the default umask) must keep working; nothing inside needs to be
 * reachable by other users, since containers see their files through mounts, not through this
 * path. A dir owned by another user is refused: its owner could loosen it again.
 */
export function preparePrivateDataDir(dir: string, warn: (details: object, message: string) => void): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw new Error(`the data dir ${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new Error(`the data dir ${dir} is owned by uid ${stat.uid}, not by the user running minato (uid ${uid})`);
  }
  const mode = stat.mode & 0o777;
  if ((mode & NOT_OWNER) !== 0) {
    chmodSync(dir, 0o700);
    warn({ dataDir: dir, mode: mode.toString(8).padStart(4, '0') }, `the data dir was accessible to group or others; its mode is now 0700`);
  }
}
