/**
 * Debian's docker-registry (CNCF Distribution) in proxy mode: a pull through cache of a remote
 * registry, logging in to it with a user and password. One process per call, on a free loopback
 * port with its own temporary storage, no auth of its own.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_REGISTRY_BIN, freeLoopbackPort } from '../support/distribution-registry.js';

/** A running proxy registry. */
export interface ProxyRegistry {
  /** `127.0.0.1:<port>`, for image references. */
  host: string;
  url: string;
  /** What the process logged so far. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `docker-registry serve` with `proxy: {remoteurl, username, password}`; resolves once `/v2/` answers. */
export async function startProxyRegistry(remote: { url: string; username: string; password: string }): Promise<ProxyRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'minato-proxy-registry-'));
  const port = await freeLoopbackPort();
  const config = {
    version: 0.1,
    log: { level: 'info', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: join(dir, 'storage') }, maintenance: { uploadpurging: { enabled: false } } },
    http: { addr: `127.0.0.1:${port}` },
    proxy: { remoteurl: remote.url, username: remote.username, password: remote.password },
  };
  // JSON is YAML.
  await writeFile(join(dir, 'config.yml'), JSON.stringify(config));
  const child = spawn(DOCKER_REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  // Bounded: 100 × 50 ms.
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    const up = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status === 200, () => false);
    if (up) return { host: `127.0.0.1:${port}`, url, log: () => stderr, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`docker-registry (proxy) did not come up: ${stderr}`);
}
