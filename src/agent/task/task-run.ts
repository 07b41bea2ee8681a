import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { StopReason, TaskLaunchSpec, TaskReporter, TaskStateChange } from '../../lib/task-contract.js';
import { containerNetworkView, requestedPorts } from '../network/task-ports.js';
import { containerSpec, runtimeIdOf, stopTimeoutOf, taskDir } from './container-spec.js';
import { planStarts, stopOrder, taskHealth, type ContainerProgress } from './dependencies.js';
import { HealthChecker, type Health } from './health-check.js';
import { expandKey, firelensOutputs, firelensRecord, firelensTag } from './firelens.js';
import { appendToArchive } from './log-archive.js';
import { LogForwarder, type LogLine } from './log-forwarder.js';
import { containerMetadata, dockerStats, taskMetadata } from './metadata-documents.js';
import { parseEnvironmentFile, resolveProcess } from './process-config.js';
import { SlotPriority, type StartSlots } from './start-slots.js';
import { planRecovery, RecoveryMode, type FoundContainer, type RecoveryPlan } from './task-recovery.js';
import type {
  LogSink,
  MetadataEndpoint,
  RunnerImage,
  RunnerImages,
  RunnerNetwork,
  RunnerNetworks,
  RunnerRuntime,
  RuntimeExit,
  RuntimeStats,
  SecretResolver,
} from './ports.js';

/** What a task run needs from the agent. */
export interface TaskRunDeps {
  runtime: RunnerRuntime;
  networks: RunnerNetworks;
  images: RunnerImages;
  logs: LogSink;
  metadata: MetadataEndpoint;
  secrets?: SecretResolver;
  report: TaskReporter;
  /** Root of the per-task directories (logs, ephemeral volumes). */
  tasksDir: string;
  /** Root of the FireLens `s3` archive (one directory per bucket). */
  archiveDir: string;
  log: Logger;
  /** Bounds the CPU-heavy steps of concurrent starts (network setup, container starts); unbounded without. */
  startSlots?: StartSlots;
}

/** One container's live state inside a run. */
interface ContainerState extends ContainerProgress {
  def: ContainerDefinition;
  runtimeId: string;
  image?: RunnerImage;
  health?: Health;
  checker?: HealthChecker;
  forwarder?: LogForwarder;
  /** The metadata endpoint token: chosen once, saved with the run, kept across restarts. */
  token: string;
  startedAt?: number;
  secretEnv?: string[];
  fileEnv?: string[];
  /** The previous stats sample, for Docker's precpu_stats. */
  lastStats?: RuntimeStats;
}

const now = () => Date.now();
const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';

/**
 * Runs one task on this host through ECS's lifecycle: PROVISIONING (network) → PENDING (images,
 * containers started as their dependsOn conditions allow) → ACTIVATING → RUNNING → DEACTIVATING →
 * STOPPING (stop signal, stopTimeout, SIGKILL; dependents first) → DEPROVISIONING → STOPPED.
 * Every step is reported to the control plane; a failure anywhere stops the task with a reason.
 */
export class TaskRun {
  private readonly containers = new Map<string, ContainerState>();
  private network: RunnerNetwork | undefined;
  private stopping: Promise<void> | undefined;
  /** Set while a restarted agent takes the task back (see adopt). */
  private adopting: Promise<void> | undefined;
  private status = 'PROVISIONING';
  private readonly dir: string;
  private readonly cgroupParent: string;
  private readonly timestamps: { pullStartedAt?: number; pullStoppedAt?: number; startedAt?: number } = {};

  constructor(
    readonly spec: TaskLaunchSpec,
    private readonly deps: TaskRunDeps,
  ) {
    this.dir = taskDir(deps.tasksDir, spec.taskId);
    this.cgroupParent = `minato/${spec.taskId}`;
    for (const def of spec.containerDefinitions) {
      this.containers.set(def.name!, { def, status: 'PENDING', runtimeId: runtimeIdOf(spec.taskId, def.name!), token: randomUUID() });
    }
  }

  /** Runs the task until it is RUNNING (or has failed); stops are driven by `stop` and container exits. */
  async start(): Promise<void> {
    // Stopped while it waited for a start slot: nothing was made, nothing is left to do.
    if (this.stopping) return;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      this.network = await this.inSlot(SlotPriority.NewTask, () => this.deps.networks.setup({
        taskId: this.spec.taskId,
        region: this.spec.region,
        portMappings: requestedPorts(this.spec.networkMode, this.spec.containerDefinitions),
      }));
      if (this.stopping) return;
      await this.report({ lastStatus: 'PENDING', ...this.networkReport(), connectivity: 'CONNECTED', connectivityAt: now() });
      this.status = 'PENDING';
      const all = [...this.containers.values()];
      await this.pullImages(all);
      await this.resolveEnvironment(all);
      await this.saveState();
      if (this.stopping) return;
      await this.inSlot(SlotPriority.Continuing, async () => {
        await this.deps.runtime.setTaskLimits(this.cgroupParent, {
          ...(this.spec.cpu !== undefined && { cpuUnits: this.spec.cpu }),
          ...(this.spec.memory !== undefined && { memoryMiB: this.spec.memory }),
        });
        await this.advance();
      });
    } catch (err) {
      const reason = err instanceof TaskStartError ? err.message : `TaskFailedToStart: ${(err as Error).message}`;
      this.deps.log.warn({ taskArn: this.spec.taskArn, err }, 'task failed to start');
      await this.stop({ stopCode: 'TaskFailedToStart', stoppedReason: reason });
    }
  }

  /**
   * Takes a task back after the agent restarted (see `planRecovery`): containers that run are
   * followed again with the same metadata endpoint token, created-but-unstarted ones are removed,
   * containers that never started are started, a launch that had started nothing runs from the
   * beginning, and a stop that was asked for (or had begun) is carried on.
   */
  async adopt(known: TaskStateChange = {}, stop?: StopReason): Promise<void> {
    const taking = this.takeBack(known, stop);
    // A stop that arrives meanwhile waits until the containers are followed, so that it stops them.
    this.adopting = taking.then(() => undefined, () => undefined);
    let plan: RecoveryPlan;
    try {
      plan = await taking;
    } catch (err) {
      // Whatever runs of it is followed no more: stop it rather than leave it unowned.
      this.deps.log.error({ err, taskArn: this.spec.taskArn }, 'taking the task back failed');
      void this.stop({ stopCode: 'TaskFailedToStart', stoppedReason: `Task stopped: it could not be taken back when the agent restarted: ${(err as Error).message}` });
      return;
    }
    // Running containers are followed (and their metadata served) once this returns; what is left
    // — a start from the beginning, a stop waiting out its stopTimeout, pulls — goes on meanwhile.
    void this.carryOn(plan).catch((err: unknown) => this.deps.log.error({ err, taskArn: this.spec.taskArn }, 'taking the task back failed'));
  }

  /** The rest of `adopt`, once the plan is made and running containers are followed. */
  private async carryOn(plan: RecoveryPlan): Promise<void> {
    if (plan.mode === RecoveryMode.Fresh) return this.start();
    if (plan.mode === RecoveryMode.Stop) {
      // The stop is claimed first, so that an exit reported meanwhile cannot replace its reason.
      const stopped = this.stop(plan.stop!);
      for (const { name, exit } of plan.exited) await this.onExit(this.containers.get(name)!, exit);
      await stopped;
      return;
    }
    try {
      // Containers that never started need their images, secrets and environment files again.
      const pending = plan.pending.map((name) => this.containers.get(name)!);
      await this.pullImages(pending, false);
      await this.resolveEnvironment(pending);
    } catch (err) {
      const reason = err instanceof TaskStartError ? err.message : `TaskFailedToStart: ${(err as Error).message}`;
      await this.stop({ stopCode: 'TaskFailedToStart', stoppedReason: reason });
      return;
    }
    for (const { name, exit } of plan.exited) await this.onExit(this.containers.get(name)!, exit);
    if (!this.stopping) await this.inSlot(SlotPriority.Continuing, () => this.advance());
  }

  /** The first step of `adopt`: plans the recovery, removes created containers, follows running ones. */
  private async takeBack(known: TaskStateChange, stop: StopReason | undefined): Promise<RecoveryPlan> {
    const state = await readFile(join(this.dir, STATE_FILE), 'utf8').then((t) => JSON.parse(t) as SavedState, () => undefined);
    const list = [...this.containers.values()];
    const found: Record<string, FoundContainer> = {};
    for (const c of list) {
      const s = await this.deps.runtime.status(c.runtimeId);
      found[c.def.name!] = s && (s.status === 'stopped' ? { status: 'stopped', ...(s.exit && { exit: s.exit }) } : { status: s.status });
    }
    const plan = planRecovery({ names: list.map((c) => c.def.name!), found, saved: state !== undefined, known, ...(stop && { stop }) });
    for (const name of plan.discard) await this.deps.runtime.remove(this.containers.get(name)!.runtimeId);
    if (state) {
      this.network = state.network;
      Object.assign(this.timestamps, state.timestamps);
      if (state.attachmentId) this.attachmentId = state.attachmentId;
    }
    // Every container keeps its saved token: the run state is not saved again, and a container
    // started now must be found under it after another restart.
    for (const c of list) c.token = state?.tokens?.[c.def.name!] ?? c.token;
    if (plan.mode === RecoveryMode.Fresh) return plan;

    this.status = known.lastStatus === 'RUNNING' ? 'RUNNING' : 'PENDING';
    if (known.startedAt !== undefined) this.timestamps.startedAt = known.startedAt;
    for (const name of [...plan.follow, ...plan.exited.map((e) => e.name)]) {
      const c = this.containers.get(name)!;
      const saved = state?.images[name];
      if (saved) c.image = { manifestDigest: saved.manifestDigest, config: { StopSignal: saved.stopSignal }, layerDirs: [] };
      if (this.network) await this.deps.metadata.register(this.network.gateway, c.token, this.metadataProvider(c)).catch(() => undefined);
    }
    for (const { name, exitCode } of plan.done) Object.assign(this.containers.get(name)!, { status: 'STOPPED', exitCode });
    for (const name of plan.follow) {
      const c = this.containers.get(name)!;
      c.status = 'RUNNING';
      // A wait ends without an exit when the runtime closes (shutdown; the container runs on) or the container is removed.
      void this.deps.runtime.wait(c.runtimeId).then((exit) => this.onExit(c, exit)).catch((err: unknown) => this.deps.log.debug({ err, container: c.def.name }, 'stopped waiting for the container'));
      this.follow(c, join(this.dir, `${c.def.name}.log`), 'end');
      if (c.def.healthCheck) this.watchHealth(c);
    }
    return plan;
  }

  /**
   * Secrets and environment files, fetched for every container before any starts, so that a
   * missing one stops the task with nothing started, as on ECS.
   */
  private async resolveEnvironment(containers: readonly ContainerState[]): Promise<void> {
    for (const c of containers) {
      c.secretEnv = await this.resolveSecrets(c.def);
      const override = this.spec.overrides.containerOverrides?.find((o) => o.name === c.def.name);
      // An override's environment files replace the definition's, as ECS documents.
      c.fileEnv = await this.environmentFiles(override?.environmentFiles ?? c.def.environmentFiles ?? []);
    }
  }

  /** Runs a CPU-heavy step of the start in one of the agent's start slots, if it bounds them. */
  private inSlot<T>(priority: SlotPriority, step: () => Promise<T>): Promise<T> {
    return this.deps.startSlots ? this.deps.startSlots.run(priority, step) : step();
  }

  /** Stops the task (once); resolves when it is STOPPED. */
  stop(reason: StopReason): Promise<void> {
    this.stopping ??= (this.adopting ?? Promise.resolve()).then(() => this.runStop(reason));
    return this.stopping;
  }

  /** Pulls the containers' images; `report` false when a restarted run fetches them again. */
  private async pullImages(containers: readonly ContainerState[], report = true): Promise<void> {
    if (containers.length === 0) return;
    const pullStartedAt = now();
    if (report) {
      this.timestamps.pullStartedAt = pullStartedAt;
      await this.report({ pullStartedAt });
    }
    // One pull per image and credentials: containers sharing both share the pull.
    const pulls = new Map<string, Promise<RunnerImage>>();
    for (const c of containers) {
      const credentials = c.def.repositoryCredentials?.credentialsParameter;
      const key = `${c.def.image}\n${credentials ?? ''}`;
      if (!pulls.has(key))
        pulls.set(
          key,
          this.registryAuth(credentials).then((auth) =>
            this.deps.images.pull(c.def.image!, { ...(auth && { auth }), region: this.spec.region }),
          ),
        );
    }
    for (const c of containers) {
      try {
        c.image = await pulls.get(`${c.def.image}\n${c.def.repositoryCredentials?.credentialsParameter ?? ''}`)!;
      } catch (err) {
        const message = (err as Error).message;
        const reason =
          err instanceof TaskStartError || message.startsWith('CannotPullContainerError') ? message : `CannotPullContainerError: ${message}`;
        await this.report({ containers: { [c.def.name!]: { reason } } });
        throw new TaskStartError(reason);
      }
    }
    if (!report) return;
    const pullStoppedAt = now();
    this.timestamps.pullStoppedAt = pullStoppedAt;
    await this.report({
      pullStoppedAt,
      containers: Object.fromEntries([...this.containers.values()].map((c) => [c.def.name!, { imageDigest: c.image!.manifestDigest }])),
    });
  }

  /**
   * Private registry credentials (`repositoryCredentials.credentialsParameter`): a Secrets Manager
   * secret holding `{"username": …, "password": …}`, as ECS reads it.
   */
  private async registryAuth(valueFrom: string | undefined): Promise<{ username: string; password: string } | undefined> {
    if (!valueFrom) return undefined;
    const fail = (why: string) =>
      new TaskStartError(`ResourceInitializationError: unable to pull secrets or registry auth: ${why}`);
    if (!this.deps.secrets) throw fail('no secret store is configured');
    let value: string;
    try {
      value = await this.deps.secrets(valueFrom, this.spec.region);
    } catch (err) {
      const message = (err as Error).message;
      throw message.startsWith('ResourceInitializationError') ? new TaskStartError(message) : fail(message);
    }
    let parsed: { username?: unknown; password?: unknown };
    try {
      parsed = JSON.parse(value) as typeof parsed;
    } catch {
      throw fail(`private registry authentication secret ${valueFrom} is not valid JSON`);
    }
    if (typeof parsed.username !== 'string' || typeof parsed.password !== 'string') {
      throw fail(`private registry authentication secret ${valueFrom} must have username and password keys`);
    }
    return { username: parsed.username, password: parsed.password };
  }

  /** Starts every container whose dependencies are met; moves the task to RUNNING once all have started. */
  private async advance(): Promise<void> {
    if (this.stopping) return;
    const plan = planStarts(this.spec.containerDefinitions, this.containers);
    if (plan.blocked.length > 0) {
      const [first] = plan.blocked;
      await this.report({ containers: { [first!.name]: { reason: first!.reason } } });
      void this.stop({ stopCode: 'TaskFailedToStart', stoppedReason: `Task failed to start: ${first!.reason}` });
      return;
    }
    await Promise.all(plan.ready.map((name) => this.startContainer(this.containers.get(name)!)));
    // A container that started may have unblocked others (dependsOn START).
    if (plan.ready.length > 0) return this.advance();
    const started = [...this.containers.values()].every((c) => c.status === 'RUNNING' || c.status === 'STOPPED');
    if (started && this.status === 'PENDING' && !this.stopping) {
      this.status = 'RUNNING';
      const startedAt = this.timestamps.startedAt ?? now();
      this.timestamps.startedAt = startedAt;
      await this.report({ lastStatus: 'ACTIVATING' });
      await this.report({ lastStatus: 'RUNNING', startedAt });
    }
  }

  private async startContainer(c: ContainerState): Promise<void> {
    const name = c.def.name!;
    c.status = 'STARTING'; // claimed: a concurrent advance() must not start it twice
    try {
      const override = this.spec.overrides.containerOverrides?.find((o) => o.name === name);
      const uri = await this.deps.metadata.register(this.network!.gateway, c.token, this.metadataProvider(c));
      const injected = [
        `ECS_CONTAINER_METADATA_URI_V4=${uri}`,
        `ECS_CONTAINER_METADATA_URI=${uri}`,
        `AWS_EXECUTION_ENV=${this.spec.launchType === 'FARGATE' ? 'AWS_ECS_FARGATE' : 'AWS_ECS_EC2'}`,
        `AWS_REGION=${this.spec.region}`,
        `AWS_DEFAULT_REGION=${this.spec.region}`,
        ...(c.secretEnv ?? []),
      ];
      const process = resolveProcess(c.image!.config, c.def, override, injected, c.fileEnv ?? []);
      const spec = containerSpec({
        taskId: this.spec.taskId,
        def: c.def,
        process,
        layerDirs: c.image!.layerDirs,
        volumes: this.spec.volumes,
        containers: this.spec.containerDefinitions,
        dir: this.dir,
        netnsPath: this.network!.netnsPath,
        hostname: c.def.hostname ?? this.network!.hostname,
        cgroupParent: this.cgroupParent,
        ...(override?.cpu !== undefined && { cpu: override.cpu }),
        ...(override?.memory !== undefined && { memory: override.memory }),
        ...(override?.memoryReservation !== undefined && { memoryReservation: override.memoryReservation }),
      });
      for (const m of spec.mounts ?? []) await mkdir(m.source, { recursive: true });
      const { startedAt } = await this.deps.runtime.start(spec);
      c.startedAt = startedAt.getTime();
      c.status = 'RUNNING';
      this.follow(c, spec.logPath);
      await this.report({ containers: { [name]: { lastStatus: 'RUNNING', runtimeId: c.runtimeId, ...this.bindings(c.def) } } });
      // A wait ends without an exit when the runtime closes (shutdown; the container runs on) or the container is removed.
      void this.deps.runtime.wait(c.runtimeId).then((exit) => this.onExit(c, exit)).catch((err: unknown) => this.deps.log.debug({ err, container: c.def.name }, 'stopped waiting for the container'));
      if (c.def.healthCheck) this.watchHealth(c);
    } catch (err) {
      c.status = 'STOPPED';
      const reason = err instanceof TaskStartError ? err.message : `CannotStartContainerError: ${(err as Error).message}`;
      await this.report({ containers: { [name]: { lastStatus: 'STOPPED', reason } } });
      throw new TaskStartError(reason);
    }
  }

  private watchHealth(c: ContainerState): void {
    c.health = 'UNKNOWN';
    c.checker = new HealthChecker(
      c.def.healthCheck!,
      (args, timeoutMs) => this.deps.runtime.exec(c.runtimeId, args, { timeoutMs }),
      (health) => void this.onHealth(c, health),
      c.startedAt,
    );
    c.checker.start();
  }

  private async saveState(): Promise<void> {
    const state: SavedState = {
      network: this.network!,
      timestamps: this.timestamps,
      attachmentId: this.attachmentId,
      tokens: Object.fromEntries([...this.containers.values()].map((c) => [c.def.name!, c.token])),
      images: Object.fromEntries(
        [...this.containers.values()].map((c) => [
          c.def.name!,
          { manifestDigest: c.image!.manifestDigest, ...(c.image!.config.StopSignal && { stopSignal: c.image!.config.StopSignal }) },
        ]),
      ),
    };
    // Mode 0600: the metadata tokens are the containers' credentials to their own documents.
    // Written whole or not at all (a temporary file renamed), since a torn file would read as none.
    const path = join(this.dir, STATE_FILE);
    await writeFile(`${path}.tmp`, JSON.stringify(state), { mode: 0o600 });
    await rename(`${path}.tmp`, path);
  }

  private follow(c: ContainerState, logPath: string, from: 'start' | 'end' = 'start'): void {
    const deliver = this.logDelivery(c);
    if (!deliver) return;
    // After a restart, lines written while the agent was down are not known to have been
    // delivered or not; resuming at the end loses them rather than duplicating old ones.
    const offset = from === 'end' ? statSyncSize(logPath) : 0;
    c.forwarder = new LogForwarder(
      logPath,
      deliver,
      (err) => this.deps.log.warn({ err, taskArn: this.spec.taskArn, container: c.def.name }, 'log delivery failed'),
      offset,
    );
    c.forwarder.start();
  }

  /** Where a container's lines go: awslogs to CloudWatch Logs, awsfirelens to its outputs; else nowhere. */
  private logDelivery(c: ContainerState): ((lines: LogLine[]) => Promise<void>) | undefined {
    const config = c.def.logConfiguration;
    const options = config?.options ?? {};
    if (config?.logDriver === 'awslogs') {
      const prefix = options['awslogs-stream-prefix'];
      const target = {
        region: options['awslogs-region'] ?? this.spec.region,
        group: options['awslogs-group'] ?? '',
        stream: prefix ? `${prefix}/${c.def.name}/${this.spec.taskId}` : `${this.spec.taskId}/${c.def.name}`,
        createGroup: options['awslogs-create-group'] === 'true',
      };
      return (lines) => this.deps.logs(target, lines.map((l) => ({ timestamp: l.timestamp, message: l.message })));
    }
    if (config?.logDriver !== 'awsfirelens') return undefined;
    const outputs = firelensOutputs(options, { region: this.spec.region, containerName: c.def.name!, taskId: this.spec.taskId });
    const tag = firelensTag(c.def.name!, this.spec.taskId);
    const ctx = {
      containerName: c.def.name!,
      runtimeId: c.runtimeId,
      clusterArn: this.spec.clusterArn,
      taskArn: this.spec.taskArn,
      taskDefinition: `${this.spec.family}:${this.spec.revision}`,
    };
    return async (lines) => {
      const records = lines.map((l) => firelensRecord(l, ctx));
      for (const out of outputs) {
        if (out.kind === 'cloudwatch') {
          await this.deps.logs(
            out.target,
            lines.map((l, i) => ({ timestamp: l.timestamp, message: out.logKey === 'log' ? l.message : JSON.stringify(records[i]) })),
          );
        } else {
          const key = expandKey(out.keyFormat, tag, new Date(lines[0]!.timestamp), randomUUID());
          await appendToArchive(this.deps.archiveDir, out.bucket, key, records.map((r, i) => JSON.stringify({ ...r, time: new Date(lines[i]!.timestamp).toISOString() })), out.gzip);
        }
      }
    };
  }

  private async onExit(c: ContainerState, exit: RuntimeExit): Promise<void> {
    c.status = 'STOPPED';
    c.exitCode = exit.exitCode;
    c.checker?.stop();
    await c.forwarder?.close();
    await this.report({
      containers: {
        [c.def.name!]: { lastStatus: 'STOPPED', exitCode: exit.exitCode, ...(exit.oomKilled && { reason: OOM_REASON }) },
      },
    });
    if (this.stopping) return;
    if (c.def.essential ?? true) {
      void this.stop({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    } else {
      await this.advance().catch((err: unknown) => this.stop({ stopCode: 'TaskFailedToStart', stoppedReason: (err as Error).message }));
    }
  }

  private async onHealth(c: ContainerState, health: Health): Promise<void> {
    c.health = health;
    const all = new Map([...this.containers].map(([n, x]) => [n, x.health ?? 'UNKNOWN']));
    await this.report({ healthStatus: taskHealth(this.spec.containerDefinitions, all), containers: { [c.def.name!]: { healthStatus: health } } });
    await this.advance().catch((err: unknown) => this.stop({ stopCode: 'TaskFailedToStart', stoppedReason: (err as Error).message }));
  }

  private async runStop(reason: StopReason): Promise<void> {
    await this.report({ lastStatus: 'DEACTIVATING', stopCode: reason.stopCode, stoppedReason: reason.stoppedReason, stoppingAt: now() });
    await this.report({ lastStatus: 'STOPPING' });
    for (const wave of stopOrder(this.spec.containerDefinitions)) {
      await Promise.all(wave.map((name) => this.stopContainer(this.containers.get(name)!)));
    }
    await this.report({ lastStatus: 'DEPROVISIONING', executionStoppedAt: now() });
    for (const c of this.containers.values()) {
      c.checker?.stop();
      await c.forwarder?.close();
      this.deps.metadata.unregister(c.token);
      await this.deps.runtime.remove(c.runtimeId).catch((err: unknown) => this.deps.log.warn({ err }, 'container removal failed'));
    }
    await this.deps.runtime.removeTaskCgroup(this.cgroupParent).catch(() => undefined);
    await this.deps.networks.teardown(this.spec.taskId).catch((err: unknown) => this.deps.log.warn({ err }, 'network teardown failed'));
    // The task's files (logs already delivered, volumes, run state) go before STOPPED is reported,
    // so that a stopped task leaves nothing behind, even across a crash here.
    await rm(this.dir, { recursive: true, force: true });
    const containers = Object.fromEntries(
      [...this.containers.values()].filter((c) => c.status === 'PENDING').map((c) => [c.def.name!, { lastStatus: 'STOPPED' }]),
    );
    await this.report({ lastStatus: 'STOPPED', stoppedAt: now(), containers });
  }

  /** Sends the stop signal, waits stopTimeout, then SIGKILL. */
  private async stopContainer(c: ContainerState): Promise<void> {
    if (c.status !== 'RUNNING' && c.status !== 'STARTING') return;
    const state = await this.deps.runtime.status(c.runtimeId);
    if (!state || state.status === 'stopped') return;
    const exited = this.deps.runtime.wait(c.runtimeId);
    await this.deps.runtime.kill(c.runtimeId, c.image?.config.StopSignal || 'SIGTERM').catch(() => undefined);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), stopTimeoutOf(c.def) * 1000).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      await this.deps.runtime.kill(c.runtimeId, 'SIGKILL').catch(() => undefined);
      await exited;
    }
    // The exit itself is reported by onExit, which every started container has pending.
    await new Promise((r) => setImmediate(r));
  }

  private async resolveSecrets(def: ContainerDefinition): Promise<string[]> {
    const secrets = def.secrets ?? [];
    if (secrets.length === 0) return [];
    const resolve = this.deps.secrets;
    const out: string[] = [];
    for (const s of secrets) {
      if (!resolve) throw new TaskStartError('ResourceInitializationError: unable to pull secrets or registry auth: no secret store is configured');
      try {
        out.push(`${s.name}=${await resolve(s.valueFrom!, this.spec.region)}`);
      } catch (err) {
        const message = (err as Error).message;
        throw new TaskStartError(message.startsWith('ResourceInitializationError') ? message : `ResourceInitializationError: ${message}`);
      }
    }
    return out;
  }

  private async environmentFiles(files: ReadonlyArray<{ value?: string }>): Promise<string[]> {
    const out: string[] = [];
    for (const f of files) {
      // Environment files are local paths for now (S3 ARNs need an object store).
      const text = await readFile(f.value!, 'utf8').catch(() => {
        throw new TaskStartError(`ResourceInitializationError: failed to download env files: file not found: ${f.value}`);
      });
      out.push(...parseEnvironmentFile(text));
    }
    return out;
  }

  private bindings(def: ContainerDefinition) {
    return containerNetworkView(this.spec.networkMode, def, this.network, this.attachmentId);
  }

  private attachmentId: string = randomUUID();

  private networkReport() {
    const net = this.network!;
    if (this.spec.networkMode !== 'awsvpc') return {};
    return {
      attachments: [
        {
          id: this.attachmentId,
          type: 'ElasticNetworkInterface',
          status: 'ATTACHED',
          details: [
            { name: 'subnetId', value: this.spec.subnetId ?? 'subnet-local' },
            { name: 'networkInterfaceId', value: net.networkInterfaceId },
            { name: 'macAddress', value: net.macAddress },
            { name: 'privateDnsName', value: net.privateDnsName },
            { name: 'privateIPv4Address', value: net.ipv4Address },
          ],
        },
      ],
    };
  }

  private metadataProvider(c: ContainerState) {
    const view = () => ({ spec: this.spec, network: this.network, status: this.status, timestamps: this.timestamps, containers: this.containers });
    return {
      container: () => containerMetadata(view(), c),
      task: () => taskMetadata(view()),
      containerStats: () => this.statsOf(c),
      taskStats: async () =>
        Object.fromEntries(await Promise.all([...this.containers.values()].map(async (x) => [x.runtimeId, await this.statsOf(x)] as const))),
    };
  }

  private async statsOf(c: ContainerState) {
    // The process runs before start() returns (STARTING), so a container may ask for its stats then.
    const live = c.status === 'RUNNING' || c.status === 'STARTING';
    const now = live ? await this.deps.runtime.stats(c.runtimeId).catch(() => undefined) : undefined;
    const doc = dockerStats(c.def.name!, c.runtimeId, now, c.lastStats);
    if (now) c.lastStats = now;
    return doc;
  }

  private report(change: Parameters<TaskReporter>[1]): Promise<void> {
    return this.deps.report(this.spec.taskArn, change).catch((err: unknown) => this.deps.log.error({ err }, 'task report failed'));
  }
}

/** A failure before the task ran, carrying the stopped reason ECS would give. */
class TaskStartError extends Error {}

/** What a run saves so that a restarted agent can adopt its containers. */
interface SavedState {
  network: RunnerNetwork;
  /** The ENI attachment id reported for the task (absent in files of older versions). */
  attachmentId?: string;
  /** Each container's metadata endpoint token, by name (absent in files of older versions). */
  tokens?: Record<string, string>;
  timestamps: { pullStartedAt?: number; pullStoppedAt?: number; startedAt?: number };
  images: Record<string, { manifestDigest: string; stopSignal?: string }>;
}

const STATE_FILE = 'run.json';

function statSyncSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
