/**
 * A real PostgreSQL server for tests, from Debian's `postgresql` package: one throwaway cluster
 * per call in a temporary directory, on 127.0.0.1 with a free port, its unix socket in the same
 * directory, trust authentication for the superuser `minato`, durability off (tests never
 * survive a crash of the server anyway).
 *
 *   const server = await startPostgresServer();   // undefined binaries: see postgresBinDir()
 *   const url = await server.createDatabase();     // a fresh, empty database per call
 *   ...
 *   await server.stop();
 *
 * PostgreSQL refuses to run as root, so when the tests run as root, initdb and the server run
 * as the `postgres` user the package creates, and the directory is handed over to it.
 */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where Debian installs each major version's server binaries. */
const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The newest installed server's binary directory, or undefined when the package is missing. */
export function postgresBinDir(): string | undefined {
  if (!existsSync(DEBIAN_ROOT)) return undefined;
  const versions = readdirSync(DEBIAN_ROOT)
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(DEBIAN_ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(DEBIAN_ROOT, versions[0], 'bin');
}

/** Why PostgreSQL tests are skipped, or undefined when they can run. */
export function postgresMissing(): string | undefined {
  return postgresBinDir() === undefined
    ? `PostgreSQL tests skipped: no server binaries under ${DEBIAN_ROOT}/<version>/bin (install the postgresql package)`
    : undefined;
}

/** A running server started by {@link startPostgresServer}. */
export interface PostgresServer {
  readonly port: number;
  /** The temporary directory: data directory, socket and log. */
  readonly dir: string;
  /** The URL of `database` as the superuser. */
  url(database?: string): string;
  /** Creates an empty database with a new name; returns its URL. */
  createDatabase(): Promise<string>;
  /**
   * Stops the server the way `mode` says (fast: connections are told and closed; immediate: the
   * processes quit at once and the next start recovers from the log, as after a crash), runs
   * `whileDown` (then the port refuses connections), and starts it again on the same port and
   * data, even when `whileDown` failed. Resolves once it accepts connections again.
   */
  restart(mode: 'fast' | 'immediate', whileDown?: () => Promise<unknown>): Promise<void>;
  /** Stops the server and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/** The uid and gid to run PostgreSQL as: ours, unless we are root. */
async function runAs(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const passwd = await readFile('/etc/passwd', 'utf8');
  const entry = passwd.split('\n').find((line) => line.startsWith('postgres:'));
  if (!entry) throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
  const [, , uid, gid] = entry.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(file: string, args: string[], options: ExecFileOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, options, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${String(stdout)}${String(stderr)}`));
      else resolve();
    });
  });
}

/** Starts a fresh cluster; throws when the binaries are missing (check {@link postgresMissing} first). */
export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error(postgresMissing());
  const user = await runAs();
  const dir = await mkdtemp(join(tmpdir(), 'minato-pg-'));
  const data = join(dir, 'data');
  const options: ExecFileOptions = { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' }, ...user };
  let started = false;
  const stop = async (): Promise<void> => {
    if (started) {
      started = false;
      // Smart first: connections a pool has just ended may still be closing, and a fast stop
      // would hand them an error no one listens to any more. Fast if some client lingers.
      const stopIn = (mode: string, seconds: number) => run(join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', '-t', String(seconds), 'stop'], options);
      await stopIn('smart', 5).catch(() => stopIn('fast', 30)).catch(() => undefined);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    if (user) await chown(dir, user.uid, user.gid);
    await run(join(bin, 'initdb'), ['-D', data, '-U', 'minato', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], options);
    const port = await freeLoopbackPort();
    await appendFile(
      join(data, 'postgresql.conf'),
      [
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
    );
    // The log file each time: without it the server would write to pg_ctl's stdout, which execFile
    // then waits on for as long as the server runs.
    const start = () => run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'], options);
    await start();
    started = true;
    const url = (database = 'postgres') => `postgres://minato@127.0.0.1:${port}/${database}`;
    let databases = 0;
    return {
      port,
      dir,
      url,
      async createDatabase() {
        const name = `test_${++databases}`;
        const client = new pg.Client({ connectionString: url() });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return url(name);
      },
      async restart(mode, whileDown) {
        if (!started) throw new Error('the server is stopped');
        await run(join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'], options);
        try {
          await whileDown?.();
        } finally {
          await start();
        }
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
