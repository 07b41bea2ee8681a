/**
 * A real CNCF Distribution registry (Debian's `docker-registry`) for tests: one process per call,
 * on 127.0.0.1 with a free port and its own temporary storage, plain HTTP, no auth.
 *
 *   const registry = await startDistributionRegistry();
 *   await pushLayout(layoutDir, `${registry.host}/team/app:1`);
 *   ...
 *   await registry.stop();
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The Debian package's binary; on PATH when `docker-registry` is installed. */
export const DOCKER_REGISTRY_BIN = 'docker-registry';

/** A running registry started by {@link startDistributionRegistry}. */
export interface DistributionRegistry {
  /** `127.0.0.1:<port>`: the registry part of image references (`${host}/repo:tag`). */
  readonly host: string;
  /** `http://127.0.0.1:<port>`: base URL of the distribution API (`${url}/v2/`). */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The temporary directory holding the config file and the storage root. */
  readonly dir: string;
  /** Everything the process wrote to stderr so far (its log), for failure messages. */
  log(): string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startDistributionRegistry}. */
export interface DistributionRegistryOptions {
  /** Allow `DELETE` of manifests and blobs (default true). */
  deleteEnabled?: boolean;
  /** Require Basic auth with this user (htpasswd, bcrypt-hashed by python3's crypt). */
  htpasswd?: { username: string; password: string };
}

/** A bcrypt htpasswd line, the only hash docker-registry accepts. */
function htpasswdLine(username: string, password: string): string {
  const hash = execFileSync('python3', ['-W', 'ignore', '-c', 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))', password], {
    encoding: 'utf8',
  }).trim();
  return `${username}:${hash}\n`;
}

/** A port that was free a moment ago on 127.0.0.1 (the registry binds it right after). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

function registryConfig(port: number, storageDir: string, options: DistributionRegistryOptions): string {
  // JSON is valid YAML, which spares a YAML writer. Health checks and upload purging are off:
  // they only add background work to a registry that lives for one test file.
  return JSON.stringify(
    {
      version: 0.1,
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: storageDir },
        delete: { enabled: options.deleteEnabled ?? true },
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: { addr: `127.0.0.1:${port}`, headers: { 'X-Content-Type-Options': ['nosniff'] } },
      ...(options.htpasswd && { auth: { htpasswd: { realm: 'minato-test', path: join(dirname(storageDir), 'htpasswd') } } }),
    },
    null,
    2,
  );
}

async function waitUntilAnswering(url: string, child: ChildProcess, log: () => string): Promise<void> {
  // Bounded: 200 × 50 ms = 10 s, plenty for a process that is normally up in ~100 ms.
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`docker-registry exited (${String(child.exitCode ?? child.signalCode)}) before answering: ${log()}`);
    }
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      // 401 is the answer of a registry that requires auth: it is up.
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not answer ${url}/v2/ within 10 s: ${log()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(child.pid!, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/** Starts `docker-registry serve <config>` and resolves once `GET /v2/` answers 200. */
export async function startDistributionRegistry(options: DistributionRegistryOptions = {}): Promise<DistributionRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'minato-registry-'));
  const storageDir = join(dir, 'storage');
  const configPath = join(dir, 'config.yml');
  // The port is probed and then bound by another process: a rare collision is retried once.
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    await writeFile(configPath, registryConfig(port, storageDir, options));
    if (options.htpasswd) await writeFile(join(dir, 'htpasswd'), htpasswdLine(options.htpasswd.username, options.htpasswd.password));
    const child = spawn(DOCKER_REGISTRY_BIN, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      // Keep the tail only: a long test must not grow this without bound.
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    const spawned = await Promise.race([once(child, 'spawn').then(() => null), once(child, 'error').then(([e]) => e as Error)]);
    if (spawned) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`cannot start ${DOCKER_REGISTRY_BIN}: ${spawned.message}`);
    }
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilAnswering(url, child, () => stderr);
    } catch (err) {
      await stopProcess(child);
      if (attempt < 2 && /address already in use/.test(stderr)) continue;
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    let stopped: Promise<void> | undefined;
    return {
      host: `127.0.0.1:${port}`,
      url,
      port,
      pid: child.pid!,
      dir,
      log: () => stderr,
      stop: () =>
        (stopped ??= (async () => {
          await stopProcess(child);
          await rm(dir, { recursive: true, force: true });
        })()),
    };
  }
}
