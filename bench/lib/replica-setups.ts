/**
 * The set-ups the replica benchmark compares, each `minato up` a real child process on the agent
 * hosts' bridge address (so that agents in their network namespaces reach it): one process on
 * SQLite, one on PostgreSQL (`--store`), and two `--replica` processes sharing one PostgreSQL
 * database and one blob dir. The root keys are the benchmark's own, since the default keys only
 * serve loopback.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_TOKEN_FILE } from '../../src/agent-gateway/join-token.js';
import { DEFAULT_CONFIG } from '../../src/cli/config.js';
import type { ControlPlane } from '../../test/support/agent-hosts.js';
import { until } from '../../test/cluster/hosts-fixture.js';
import { spawnMinato, type MinatoProcess } from '../../test/support/minato-process.js';
import type { Endpoint } from './load.js';

export const CREDENTIALS = { accessKeyId: 'AKIDBENCHREPLICAS', secretAccessKey: 'bench-replicas-secret' } as const;
export const LEADING = 'leading: the background work runs here';
const NOT_LEADING = 'no longer leading: the background work stops here';

export type SetupName = 'sqlite' | 'postgres-1' | 'postgres-2-replicas';

/** One set-up: its processes (a replaced replica takes its predecessor's place and port). */
export interface Setup {
  name: SetupName;
  processes: MinatoProcess[];
  /** The arguments each process was started with, but its data dir and port. */
  readonly args: string[];
  /** Where the agent token is: the data dir, or the shared blob dir's keys. */
  readonly keysDir: string;
}

/** Data dirs and blob dirs the set-ups made, so that the end of the run (or an interrupt) removes them. */
export const setupDirs = new Set<string>();

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  setupDirs.add(dir);
  return dir;
}

function start(args: string[], port = 0): Promise<MinatoProcess> {
  const dataDir = tempDir('minato-bench-up-');
  return spawnMinato([...args, '--data-dir', dataDir, '--port', String(port)], {
    MINATO_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    MINATO_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  });
}

/**
 * Starts a set-up listening on `host`; `store` is a PostgreSQL database URL for the PostgreSQL
 * set-ups. The first replica is ready (and leads) before the second starts.
 */
export async function startSetup(name: SetupName, host: string, store: string | undefined, live: (p: MinatoProcess) => void): Promise<Setup> {
  const common = ['--host', host];
  if (name === 'sqlite') {
    const p = await start(common);
    live(p);
    return { name, processes: [p], args: common, keysDir: dataDirOf(p) };
  }
  if (store === undefined) throw new Error(`${name} needs a PostgreSQL database`);
  if (name === 'postgres-1') {
    const args = [...common, '--store', store];
    const p = await start(args);
    live(p);
    return { name, processes: [p], args, keysDir: dataDirOf(p) };
  }
  const blobDir = tempDir('minato-bench-blobs-');
  const args = [...common, '--replica', '--store', store, '--blob-dir', blobDir];
  const a = await start(args);
  live(a);
  await until('the first replica to lead', () => leadsNow(a), 15_000, 50);
  const b = await start(args);
  live(b);
  return { name, processes: [a, b], args, keysDir: join(blobDir, 'keys') };
}

/** Starts a replica in place of `dead` (same port, so agents' --join lists stay valid), on a fresh data dir. */
export async function replaceReplica(setup: Setup, dead: MinatoProcess, live: (p: MinatoProcess) => void): Promise<MinatoProcess> {
  const i = setup.processes.indexOf(dead);
  if (i < 0) throw new Error('not a process of this set-up');
  const p = await start(setup.args, endpointOf(dead).port);
  live(p);
  setup.processes[i] = p;
  return p;
}

function dataDirOf(p: MinatoProcess): string {
  const args = p.child.spawnargs;
  return args[args.indexOf('--data-dir') + 1]!;
}

/** Removes a stopped process's data dir. */
export function removeDataDir(p: MinatoProcess): void {
  const dir = dataDirOf(p);
  rmSync(dir, { recursive: true, force: true });
  setupDirs.delete(dir);
}

/** The process's address and keys, for the signed calls of bench/lib/load.ts. */
export function endpointOf(p: MinatoProcess): Exclude<Endpoint, number> {
  const url = new URL(p.endpoint);
  return { host: url.hostname, port: Number(url.port), credentials: CREDENTIALS };
}

/** What test/support/agent-hosts.ts and pushBusybox need of a control plane: its endpoint, keys and join token. */
export function controlPlaneOf(setup: Setup, via = setup.processes[0]!): ControlPlane {
  const token = readFileSync(join(setup.keysDir, AGENT_TOKEN_FILE), 'utf8').trim();
  return { endpoint: via.endpoint, token, config: { ...DEFAULT_CONFIG, ...CREDENTIALS } } as unknown as ControlPlane;
}

/** A process's pino lines as objects. */
export function logOf(p: MinatoProcess): Array<{ msg: string; time: number }> {
  return p.lines.flatMap((l) => {
    if (!l.startsWith('{')) return [];
    try {
      return [JSON.parse(l) as { msg: string; time: number }];
    } catch {
      return [];
    }
  });
}

/** Whether the process leads now: its last leadership line says so. */
export function leadsNow(p: MinatoProcess): boolean {
  const last = logOf(p).filter((l) => l.msg === LEADING || l.msg === NOT_LEADING).at(-1);
  return last?.msg === LEADING && p.child.exitCode === null && p.child.signalCode === null;
}

/** When (epoch ms, the process's own clock: this machine's) it logged that it leads, at or after `since`. */
export function ledAt(p: MinatoProcess, since: number): number | undefined {
  return logOf(p).find((l) => l.msg === LEADING && l.time >= since)?.time;
}
