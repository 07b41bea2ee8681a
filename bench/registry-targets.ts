/** The registries bench/registry.ts measures: minato (three ways to run it) and CNCF Distribution. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { startDistributionRegistry } from '../test/support/distribution-registry.js';
import { freshDataDir, removeDir, startServer } from './lib/server.js';

const SERVE = fileURLToPath(new URL('./registry-serve.ts', import.meta.url));
const BASIC = `Basic ${Buffer.from('test:test').toString('base64')}`;

/** A registry under test. */
export interface Target {
  name: 'minato' | 'distribution';
  base: string;
  /** The server process, for its resident memory (undefined: not measured). */
  pid?: number;
  authorization?: string;
  /** Makes `repo` exist (minato: CreateRepository). */
  prepare(repo: string): Promise<void>;
  stop(): Promise<void>;
}

/** How minato is run, from the environment (see bench/registry.ts). */
export function minatoMode(): string {
  if (process.env.BENCH_REGISTRY_ENDPOINT) return 'running endpoint (BENCH_REGISTRY_ENDPOINT)';
  if (process.env.BENCH_MINATO === 'process') return 'minato up process';
  return 'child process: front door + ECR API + /v2/ routes (bench/registry-serve.ts)';
}

/** Starts (or attaches to) minato. */
export async function startMinato(): Promise<Target> {
  let base: string;
  let pid: number | undefined;
  let stop = async () => {};
  if (process.env.BENCH_REGISTRY_ENDPOINT) {
    base = process.env.BENCH_REGISTRY_ENDPOINT;
    pid = process.env.BENCH_REGISTRY_PID ? Number(process.env.BENCH_REGISTRY_PID) : undefined;
  } else if (process.env.BENCH_MINATO === 'process') {
    const dir = await freshDataDir();
    const server = await startServer(dir);
    base = `http://127.0.0.1:${server.port}`;
    pid = server.pid;
    stop = async () => {
      await server.stop();
      await removeDir(dir);
    };
  } else {
    ({ base, pid, stop } = await spawnServeChild());
  }
  const ecr = new ECRClient({ endpoint: base, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  return {
    name: 'minato',
    base,
    pid,
    authorization: BASIC,
    async prepare(repo) {
      await ecr.send(new CreateRepositoryCommand({ repositoryName: repo })).catch((err: Error) => {
        if (err.name !== 'RepositoryAlreadyExistsException') throw err;
      });
    },
    async stop() {
      ecr.destroy();
      await stop();
    },
  };
}

/** bench/registry-serve.ts in a child process, on a fresh data dir. */
async function spawnServeChild(): Promise<{ base: string; pid: number | undefined; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(os.tmpdir(), 'minato-bench-registry-'));
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('registry child not ready in 20 s')), 20_000);
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /ready (http:\/\/\S+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`registry child exited with ${code}`)));
    });
    return {
      base,
      pid: child.pid,
      async stop() {
        child.kill('SIGTERM');
        await exited;
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Starts Debian's docker-registry (CNCF Distribution) on its own storage. */
export async function startDistribution(): Promise<Target> {
  const registry = await startDistributionRegistry();
  return { name: 'distribution', base: registry.url, pid: registry.pid, prepare: async () => {}, stop: () => registry.stop() };
}
