import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import type { TaskLaunchSpec, TaskStateChange } from '../../agent-contract/task-contract.js';
import type { CredentialsProvider, MetadataEndpoint, RunnerImages, RunnerNetworks, RunnerRuntime, RuntimeContainerSpec, RuntimeExit } from './ports.js';
import { createRunContext, type RunContext, type TaskRunDeps } from './run-context.js';

/** A scripted container: how it reacts to signals and health probes. */
export interface Script {
  /** Exit by itself after this many ms with this code. */
  exitAfterMs?: number;
  exitCode?: number;
  /** Signals it ignores (e.g. SIGTERM): only SIGKILL stops it then. */
  ignores?: string[];
  /** Health probe exit code (default 0). */
  probeExit?: number;
}

/** A fake runtime for unit tests of the runner: containers are promises, signals end them. */
export class ScriptedRuntime implements RunnerRuntime {
  readonly started: string[] = [];
  readonly signals: Array<{ id: string; signal: string }> = [];
  readonly specs = new Map<string, RuntimeContainerSpec>();
  readonly removedCgroups: string[] = [];
  private readonly exits = new Map<string, { resolve: (e: RuntimeExit) => void; promise: Promise<RuntimeExit>; done?: RuntimeExit }>();

  constructor(private readonly scripts: Record<string, Script> = {}) {}

  private script(id: string): Script {
    const name = Object.keys(this.scripts).find((n) => id.endsWith(`-${n}`));
    return name ? this.scripts[name]! : {};
  }

  async start(spec: RuntimeContainerSpec) {
    this.started.push(spec.id);
    this.specs.set(spec.id, spec);
    let resolve!: (e: RuntimeExit) => void;
    const promise = new Promise<RuntimeExit>((r) => (resolve = r));
    const entry = { resolve, promise } as { resolve: (e: RuntimeExit) => void; promise: Promise<RuntimeExit>; done?: RuntimeExit };
    this.exits.set(spec.id, entry);
    void promise.then((e) => (entry.done = e));
    const s = this.script(spec.id);
    if (s.exitAfterMs !== undefined) setTimeout(() => this.exit(spec.id, s.exitCode ?? 0), s.exitAfterMs);
    return { pid: 1000 + this.started.length, startedAt: new Date() };
  }

  exit(id: string, exitCode: number, oomKilled = false): void {
    this.exits.get(id)?.resolve({ exitCode, oomKilled, exitedAt: new Date() });
  }

  async kill(id: string, signal: string) {
    this.signals.push({ id, signal });
    if (signal === 'SIGKILL') return this.exit(id, 137);
    if (!(this.script(id).ignores ?? []).includes(signal)) this.exit(id, 143);
  }

  wait(id: string) {
    return this.exits.get(id)?.promise ?? Promise.resolve({ exitCode: 0, oomKilled: false, exitedAt: new Date() });
  }

  async status(id: string) {
    const e = this.exits.get(id);
    if (!e) return undefined;
    return e.done ? { status: 'stopped' as const, exit: e.done } : { status: 'running' as const, pid: 1 };
  }

  async exec(id: string) {
    return { exitCode: this.script(id).probeExit ?? 0, output: '', timedOut: false };
  }

  async stats() {
    return undefined;
  }
  async remove() {}
  async list() {
    return [];
  }
  async setTaskLimits() {}
  async removeTaskCgroup(cgroupParent: string) {
    this.removedCgroups.push(cgroupParent);
  }
}

/** A network layer that hands out fixed addresses. */
export const fakeNetworks = (): RunnerNetworks & { torn: string[] } => {
  const torn: string[] = [];
  return {
    torn,
    async setup() {
      return { netnsPath: '/tmp/none', ipv4Address: '10.9.0.2', subnetCidr: '10.9.0.0/24', gateway: '10.9.0.1', macAddress: '02:00:00:00:00:01', interfaceName: 'eth0', privateDnsName: 'ip-10-9-0-2.ec2.internal', networkInterfaceId: 'eni-0123456789abcdef0', hostname: 'ip-10-9-0-2' };
    },
    async teardown(taskId: string) {
      torn.push(taskId);
    },
    async list() {
      return [];
    },
  };
};

/** An image store that knows the listed images only. */
export const fakeImages = (known: string[]): RunnerImages => ({
  async pull(image: string) {
    if (!known.includes(image)) throw new Error(`CannotPullContainerError: pull image manifest: ${image}: not found`);
    return { manifestDigest: 'sha256:' + 'a'.repeat(64), config: { Cmd: ['sh'] }, layerDirs: ['/layers/base'] };
  },
});

/** A metadata endpoint that only remembers registrations (credentials providers by id). */
export const fakeMetadata = (credentials = new Map<string, CredentialsProvider>()): MetadataEndpoint => ({
  async register(gateway, token) {
    return `http://${gateway}:1/v4/${token}`;
  },
  unregister() {},
  async registerCredentials(_gateway, id, provider) {
    credentials.set(id, provider);
  },
  unregisterCredentials(id) {
    credentials.delete(id);
  },
});

/** A launch spec with the given containers. */
export function launchSpec(containers: ContainerDefinition[]): TaskLaunchSpec {
  return {
    taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef',
    taskId: '0123456789abcdef0123456789abcdef',
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/c',
    region: 'us-east-1',
    accountId: '000000000000',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/f:1',
    family: 'f',
    revision: 1,
    launchType: 'FARGATE',
    availabilityZone: 'us-east-1a',
    networkMode: 'awsvpc',
    containerDefinitions: containers,
    containerArns: Object.fromEntries(containers.map((c) => [c.name!, `arn:container/${c.name}`])),
    overrides: {},
    volumes: [],
    createdAt: Date.now(),
  };
}

/** Runner dependencies over fakes; `reports` collects every state change in order. */
export function fakeDeps(runtime: ScriptedRuntime, images = fakeImages(['busybox']), tasksDir = '/tmp') {
  const reports: TaskStateChange[] = [];
  const networks = fakeNetworks();
  const deps: TaskRunDeps = {
    runtime,
    networks,
    images,
    logs: async () => {},
    metadata: fakeMetadata(),
    report: async (_arn, change) => {
      reports.push(change);
    },
    tasksDir,
    archiveDir: `${tasksDir}/archive`,
    log: pino({ level: 'silent' }),
  };
  return { deps, reports, networks };
}

/** The task lastStatus values in the order they were reported. */
export const statuses = (reports: TaskStateChange[]) => reports.flatMap((r) => (r.lastStatus ? [r.lastStatus] : []));

/** A run context over fakes for unit tests of the runner's hooks; `reports` collects its state changes. */
export function fakeContext(containers: ContainerDefinition[], tasksDir = '/tmp', runtime = new ScriptedRuntime()): { ctx: RunContext; reports: TaskStateChange[]; runtime: ScriptedRuntime; deps: TaskRunDeps } {
  const { deps, reports } = fakeDeps(runtime, undefined, tasksDir);
  return { ctx: createRunContext(launchSpec(containers), deps), reports, runtime, deps };
}
