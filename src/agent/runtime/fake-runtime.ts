import { DomainError, ErrorKind, failedPrecondition, invalidParameter, notFound } from '../../lib/errors.js';
import { checkCgroupParent } from './cgroups.js';
import {
  CONTAINER_ID,
  type ContainerExit,
  type ContainerRuntime,
  type ContainerSpec,
  type ContainerState,
  type ContainerStats,
  type ExecResult,
  type TaskLimits,
} from './runtime.js';
import { signalName, signalNumber } from './signals.js';

/** How a fake container behaves; everything is optional. */
export interface FakeBehaviour {
  /** Exits by itself after this many ms with `exitCode` (default: runs until signalled). */
  exitAfterMs?: number;
  exitCode?: number;
  /** Reported with the self-exit (a scripted OOM kill is `exitCode: 137, oomKilled: true`). */
  oomKilled?: boolean;
  /** What a signal (by name, e.g. `SIGTERM`) does: exit with a code, or nothing. Default: exit 128 + n. SIGKILL always exits 137. */
  onSignal?: Record<string, { exitCode: number } | 'ignore'>;
  /** Answers exec calls; default exit 0 with no output. */
  exec?: (args: string[]) => ExecResult | Promise<ExecResult>;
  stats?: Partial<ContainerStats>;
  /** start() rejects with this. */
  startError?: Error;
}

interface FakeContainer {
  spec: ContainerSpec;
  pid: number;
  startedAt: Date;
  exit?: ContainerExit;
  behaviour: FakeBehaviour;
  signals: string[];
  waiters: Array<(exit: ContainerExit) => void>;
  timer?: NodeJS.Timeout;
}

/** The state a FakeRuntime and its reopened instances share, as RuncRuntimes share a state root. */
class FakeState {
  readonly containers = new Map<string, FakeContainer>();
  readonly scripts = new Map<string, FakeBehaviour>();
  readonly taskLimits = new Map<string, TaskLimits>();
  nextPid = 1000;
}

/**
 * An in-memory ContainerRuntime for unit tests of the layers above, with the same contract as
 * RuncRuntime (the shared runtime suite runs against both). Containers run until signalled or
 * until their scripted exit; `exit()` ends one on demand.
 */
export class FakeRuntime implements ContainerRuntime {
  private readonly state: FakeState;

  constructor(
    private readonly options: { behaviour?: (spec: ContainerSpec) => FakeBehaviour; now?: () => Date } = {},
    state?: FakeState,
  ) {
    this.state = state ?? new FakeState();
  }

  /** A new instance over the same containers, as after an agent restart. */
  reopen(): FakeRuntime {
    return new FakeRuntime(this.options, this.state);
  }

  /** Scripts the behaviour of the container that will be started with this id. */
  script(id: string, behaviour: FakeBehaviour): void {
    this.state.scripts.set(id, behaviour);
  }

  /** Ends a running container now. */
  exit(id: string, exitCode: number, options: { oomKilled?: boolean } = {}): void {
    const c = this.state.containers.get(id);
    if (!c) throw notFound('container', `container ${id} does not exist`);
    this.finish(c, exitCode, options.oomKilled ?? false);
  }

  /** The spec a container was started with. */
  specOf(id: string): ContainerSpec | undefined {
    return this.state.containers.get(id)?.spec;
  }

  /** The signals a container received, by name, in order. */
  signalsOf(id: string): string[] {
    return [...(this.state.containers.get(id)?.signals ?? [])];
  }

  /** The limits set per task cgroup. */
  get taskLimits(): ReadonlyMap<string, TaskLimits> {
    return this.state.taskLimits;
  }

  async start(spec: ContainerSpec): Promise<{ pid: number; startedAt: Date }> {
    if (!CONTAINER_ID.test(spec.id)) throw invalidParameter(`Invalid container id: ${spec.id}`);
    if (spec.args.length === 0) throw invalidParameter('A container needs a command to run');
    if (spec.cgroupParent !== undefined) checkCgroupParent(spec.cgroupParent);
    if (this.state.containers.has(spec.id)) throw new DomainError(ErrorKind.AlreadyExists, `container ${spec.id} already exists`, 'container');
    const behaviour = this.state.scripts.get(spec.id) ?? this.options.behaviour?.(spec) ?? {};
    if (behaviour.startError) throw behaviour.startError;
    const c: FakeContainer = { spec, pid: this.state.nextPid++, startedAt: this.now(), behaviour, signals: [], waiters: [] };
    this.state.containers.set(spec.id, c);
    if (behaviour.exitAfterMs !== undefined) {
      c.timer = setTimeout(() => this.finish(c, behaviour.exitCode ?? 0, behaviour.oomKilled ?? false), behaviour.exitAfterMs);
    }
    return { pid: c.pid, startedAt: c.startedAt };
  }

  async kill(id: string, signal: string): Promise<void> {
    const c = this.must(id);
    const n = signalNumber(signal);
    if (c.exit) return;
    const name = signalName(n);
    c.signals.push(name);
    if (n === 9) return this.finish(c, 137, false);
    const action = c.behaviour.onSignal?.[name] ?? { exitCode: 128 + n };
    if (action !== 'ignore') this.finish(c, action.exitCode, false);
  }

  async wait(id: string): Promise<ContainerExit> {
    const c = this.must(id);
    if (c.exit) return c.exit;
    return new Promise((resolve) => c.waiters.push(resolve));
  }

  async status(id: string): Promise<ContainerState | undefined> {
    const c = this.state.containers.get(id);
    if (!c) return undefined;
    return c.exit ? { status: 'stopped', exit: c.exit } : { status: 'running', pid: c.pid };
  }

  async exec(id: string, args: string[], options: { timeoutMs: number; env?: string[] }): Promise<ExecResult> {
    const c = this.must(id);
    if (c.exit) throw failedPrecondition('container-not-running', `container ${id} is not running`);
    if (args.length === 0) throw invalidParameter('exec needs a command');
    if (!(options.timeoutMs > 0)) throw invalidParameter('exec needs a positive timeout');
    return (await c.behaviour.exec?.(args)) ?? { exitCode: 0, output: '', timedOut: false };
  }

  async stats(id: string): Promise<ContainerStats | undefined> {
    const c = this.state.containers.get(id);
    if (!c) return undefined;
    const limit = c.spec.memoryLimitMiB !== undefined ? c.spec.memoryLimitMiB * 1024 * 1024 : 2 ** 63 - 4096;
    return {
      readAt: this.now(),
      cpuUsageNs: 1_000_000,
      cpuPerCpuNs: [1_000_000],
      systemCpuUsageNs: 1_000_000_000,
      onlineCpus: 1,
      memoryUsageBytes: 4 * 1024 * 1024,
      memoryMaxUsageBytes: 8 * 1024 * 1024,
      memoryLimitBytes: limit,
      memoryStat: {},
      pids: c.exit ? 0 : 1,
      ...c.behaviour.stats,
    };
  }

  async remove(id: string): Promise<void> {
    const c = this.state.containers.get(id);
    if (!c) return;
    if (!c.exit) throw failedPrecondition('container-running', `container ${id} is running; stop it before removing it`);
    this.state.containers.delete(id);
    this.state.scripts.delete(id);
  }

  async list(): Promise<string[]> {
    return [...this.state.containers.keys()].sort();
  }

  async setTaskLimits(cgroupParent: string, limits: TaskLimits): Promise<void> {
    this.state.taskLimits.set(checkCgroupParent(cgroupParent), { ...limits });
  }

  async removeTaskCgroup(cgroupParent: string): Promise<void> {
    this.state.taskLimits.delete(checkCgroupParent(cgroupParent));
  }

  private must(id: string): FakeContainer {
    const c = this.state.containers.get(id);
    if (!c) throw notFound('container', `container ${id} does not exist`);
    return c;
  }

  private finish(c: FakeContainer, exitCode: number, oomKilled: boolean): void {
    if (c.exit) return;
    clearTimeout(c.timer);
    c.exit = { exitCode, oomKilled, exitedAt: this.now() };
    for (const w of c.waiters.splice(0)) w(c.exit);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
