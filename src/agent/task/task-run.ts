import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StopReason, TaskLaunchSpec, TaskStateChange } from '../../agent-contract/task-contract.js';
import type { TaskFirewall } from '../../agent-contract/task-firewall.js';
import { requestedPorts } from '../network/task-ports.js';
import { containerSpec, stopTimeoutOf } from './container-spec.js';
import { assumeTaskRoles, credentialsEnvironment } from './credentials-hook.js';
import { planStarts, stopOrder } from './dependencies.js';
import { resolveEnvironment } from './environment-hook.js';
import { watchHealth } from './health-hook.js';
import { pullImages } from './images-hook.js';
import { followLogs } from './log-delivery.js';
import { metadataEnvironment } from './metadata-hook.js';
import { containerBindings, networkReport } from './network-report.js';
import { resolveProcess } from './process-config.js';
import type { RunnerNetwork, RuntimeExit } from './ports.js';
import { createRunContext, now, overrideOf, startFailureReason, TaskStartError, type ContainerState, type RunContext, type TaskRunDeps } from './run-context.js';
import { saveRunState } from './run-state-file.js';
import { SlotPriority } from './start-slots.js';
import { takeBack } from './task-adoption.js';
import { RecoveryMode, type RecoveryPlan } from './task-recovery.js';

export type { TaskRunDeps } from './run-context.js';

const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';

/**
 * Runs one task on this host through ECS's lifecycle: PROVISIONING (network) → PENDING (images,
 * containers started as their dependsOn conditions allow) → ACTIVATING → RUNNING → DEACTIVATING →
 * STOPPING (stop signal, stopTimeout, SIGKILL; dependents first) → DEPROVISIONING → STOPPED.
 * Every step is reported to the control plane; a failure anywhere stops the task with a reason.
 * The steps of one concern are hooks beside this file (images, environment, logs, health,
 * metadata, network report, run state, adoption); this class sequences them.
 */
export class TaskRun {
  private readonly ctx: RunContext;
  private stopping: Promise<void> | undefined;
  /** Set while a restarted agent takes the task back (see adopt). */
  private adopting: Promise<void> | undefined;
  /** The network setup under way or done (a stop waits for it before tearing the network down). */
  private networkSetup: Promise<RunnerNetwork> | undefined;
  /** The task cgroup's creation under way or done (a stop waits for it before removing the cgroup). */
  private taskLimits: Promise<void> | undefined;
  /** What the task's security groups allow now: the spec's, until the control plane sends another. */
  private firewall: TaskFirewall | undefined;
  /**
   * Container starts (runc create and start) under way: a stop waits for them, as a container (and
   * its cgroup, under the task's) created after the stop had removed everything would be left behind.
   */
  private readonly startsUnderWay = new Set<Promise<unknown>>();

  constructor(
    readonly spec: TaskLaunchSpec,
    private readonly deps: TaskRunDeps,
  ) {
    this.ctx = createRunContext(spec, deps);
    this.firewall = spec.firewall;
  }

  /**
   * Replaces what the task's security groups allow. Before its network is made, the network is
   * made with it; once made (or while being made), its rules are replaced. Both read the latest
   * firewall when they apply it, so whichever comes last leaves the latest in place.
   */
  async setFirewall(firewall: TaskFirewall): Promise<void> {
    this.firewall = firewall;
    await this.networkSetup?.catch(() => undefined);
    await this.deps.networks.setFirewall?.(this.spec.taskId, this.firewall);
  }

  /** Runs the task until it is RUNNING (or has failed); stops are driven by `stop` and container exits. */
  async start(): Promise<void> {
    // Stopped while it waited for a start slot: nothing was made, nothing is left to do.
    if (this.stopping) return;
    const { ctx } = this;
    try {
      await mkdir(ctx.dir, { recursive: true, mode: 0o700 });
      this.networkSetup = this.inSlot(SlotPriority.NewTask, () => this.deps.networks.setup({
        taskId: this.spec.taskId,
        region: this.spec.region,
        portMappings: requestedPorts(this.spec.networkMode, this.spec.containerDefinitions),
        ...(this.firewall && { firewall: this.firewall }),
      }));
      ctx.network = await this.networkSetup;
      if (this.stopping) return;
      await ctx.report({ lastStatus: 'PENDING', ...networkReport(ctx), connectivity: 'CONNECTED', connectivityAt: now() });
      ctx.status = 'PENDING';
      const all = [...ctx.containers.values()];
      await assumeTaskRoles(ctx);
      await pullImages(ctx, all);
      await resolveEnvironment(ctx, all);
      await saveRunState(ctx);
      if (this.stopping) return;
      await this.inSlot(SlotPriority.Continuing, async () => {
        // Stopped while it waited for the slot: the stop has removed (or will remove) the cgroup.
        if (this.stopping) return;
        this.taskLimits = this.deps.runtime.setTaskLimits(ctx.cgroupParent, {
          ...(this.spec.cpu !== undefined && { cpuUnits: this.spec.cpu }),
          ...(this.spec.memory !== undefined && { memoryMiB: this.spec.memory }),
        });
        await this.taskLimits;
        await this.advance();
      });
    } catch (err) {
      this.deps.log.warn({ taskArn: this.spec.taskArn, err }, 'task failed to start');
      await this.stop({ stopCode: 'TaskFailedToStart', stoppedReason: startFailureReason(err) });
    }
  }

  /**
   * Takes a task back after the agent restarted (see `planRecovery`): containers that run are
   * followed again with the same metadata endpoint token, created-but-unstarted ones are removed,
   * containers that never started are started, a launch that had started nothing runs from the
   * beginning, and a stop that was asked for (or had begun) is carried on.
   */
  async adopt(known: TaskStateChange = {}, stop?: StopReason): Promise<void> {
    const taking = takeBack(this.ctx, known, stop, (c) => {
      this.awaitExit(c);
      followLogs(this.ctx, c, join(this.ctx.dir, `${c.def.name}.log`), 'end');
      if (c.def.healthCheck) this.watchHealth(c);
    });
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
    const exits = async () => {
      for (const { name, exit } of plan.exited) await this.onExit(this.container(name), exit);
    };
    if (plan.mode === RecoveryMode.Stop) {
      // The stop is claimed first, so that an exit reported meanwhile cannot replace its reason.
      const stopped = this.stop(plan.stop!);
      await exits();
      await stopped;
      return;
    }
    try {
      // Containers that never started need their images, secrets and environment files again.
      const pending = plan.pending.map((name) => this.container(name));
      await pullImages(this.ctx, pending, false);
      await resolveEnvironment(this.ctx, pending);
    } catch (err) {
      await this.stop({ stopCode: 'TaskFailedToStart', stoppedReason: startFailureReason(err) });
      return;
    }
    await exits();
    if (!this.stopping) await this.inSlot(SlotPriority.Continuing, () => this.advance());
  }

  /** Stops the task (once); resolves when it is STOPPED. */
  stop(reason: StopReason): Promise<void> {
    this.stopping ??= (this.adopting ?? Promise.resolve()).then(() => this.runStop(reason));
    return this.stopping;
  }

  private container(name: string): ContainerState {
    return this.ctx.containers.get(name)!;
  }

  /** Runs a CPU-heavy step of the start in one of the agent's start slots, if it bounds them. */
  private inSlot<T>(priority: SlotPriority, step: () => Promise<T>): Promise<T> {
    return this.deps.startSlots ? this.deps.startSlots.run(priority, step) : step();
  }

  /** Starts every container whose dependencies are met; moves the task to RUNNING once all have started. */
  private async advance(): Promise<void> {
    if (this.stopping) return;
    const { ctx } = this;
    const plan = planStarts(this.spec.containerDefinitions, ctx.containers);
    if (plan.blocked.length > 0) {
      const [first] = plan.blocked;
      await ctx.report({ containers: { [first!.name]: { reason: first!.reason } } });
      void this.stop({ stopCode: 'TaskFailedToStart', stoppedReason: `Task failed to start: ${first!.reason}` });
      return;
    }
    await Promise.all(plan.ready.map((name) => this.startContainer(this.container(name))));
    // A container that started may have unblocked others (dependsOn START).
    if (plan.ready.length > 0) return this.advance();
    const started = [...ctx.containers.values()].every((c) => c.status === 'RUNNING' || c.status === 'STOPPED');
    if (started && ctx.status === 'PENDING' && !this.stopping) {
      ctx.status = 'RUNNING';
      const startedAt = ctx.timestamps.startedAt ?? now();
      ctx.timestamps.startedAt = startedAt;
      await ctx.report({ lastStatus: 'ACTIVATING' });
      await ctx.report({ lastStatus: 'RUNNING', startedAt });
    }
  }

  /** Advances the start after a change; a failure there stops the task. */
  private advanceOrStop(): Promise<void> {
    return this.advance().catch((err: unknown) => this.stop({ stopCode: 'TaskFailedToStart', stoppedReason: (err as Error).message }));
  }

  private async startContainer(c: ContainerState): Promise<void> {
    const { ctx } = this;
    const name = c.def.name!;
    c.status = 'STARTING'; // claimed: a concurrent advance() must not start it twice
    try {
      const override = overrideOf(this.spec, name);
      const injected = [...(await metadataEnvironment(ctx, c)), ...(await credentialsEnvironment(ctx, c.def, override)), ...(c.secretEnv ?? [])];
      const process = resolveProcess(c.image!.config, c.def, override, injected, c.fileEnv ?? []);
      const spec = containerSpec({
        taskId: this.spec.taskId,
        def: c.def,
        process,
        layerDirs: c.image!.layerDirs,
        volumes: this.spec.volumes,
        containers: this.spec.containerDefinitions,
        dir: ctx.dir,
        netnsPath: ctx.network!.netnsPath,
        hostname: c.def.hostname ?? ctx.network!.hostname,
        // host mode keeps the host's resolv.conf, as a host-mode container on EC2 does.
        ...(this.spec.networkMode !== 'host' && ctx.network!.nameservers && { networkNameservers: ctx.network!.nameservers }),
        cgroupParent: ctx.cgroupParent,
        ...(override?.cpu !== undefined && { cpu: override.cpu }),
        ...(override?.memory !== undefined && { memory: override.memory }),
        ...(override?.memoryReservation !== undefined && { memoryReservation: override.memoryReservation }),
      });
      for (const m of spec.mounts ?? []) await mkdir(m.source, { recursive: true });
      // Checked and registered in one step: a stop either comes before (nothing starts) or waits for it.
      if (this.stopping) {
        c.status = 'PENDING';
        return;
      }
      const starting = this.deps.runtime.start(spec);
      this.startsUnderWay.add(starting);
      const { startedAt } = await starting.finally(() => this.startsUnderWay.delete(starting));
      c.startedAt = startedAt.getTime();
      c.status = 'RUNNING';
      followLogs(ctx, c, spec.logPath);
      await ctx.report({ containers: { [name]: { lastStatus: 'RUNNING', runtimeId: c.runtimeId, ...containerBindings(ctx, c.def) } } });
      this.awaitExit(c);
      if (c.def.healthCheck) this.watchHealth(c);
    } catch (err) {
      c.status = 'STOPPED';
      const reason = startFailureReason(err, 'CannotStartContainerError');
      await ctx.report({ containers: { [name]: { lastStatus: 'STOPPED', reason } } });
      throw new TaskStartError(reason);
    }
  }

  /** Handles the container's exit when it comes. */
  private awaitExit(c: ContainerState): void {
    // A wait ends without an exit when the runtime closes (shutdown; the container runs on) or the container is removed.
    void this.deps.runtime
      .wait(c.runtimeId)
      .then((exit) => this.onExit(c, exit))
      .catch((err: unknown) => this.deps.log.debug({ err, container: c.def.name }, 'stopped waiting for the container'));
  }

  private watchHealth(c: ContainerState): void {
    watchHealth(this.ctx, c, () => this.advanceOrStop());
  }

  private async onExit(c: ContainerState, exit: RuntimeExit): Promise<void> {
    c.status = 'STOPPED';
    c.exitCode = exit.exitCode;
    c.checker?.stop();
    await c.forwarder?.close();
    await this.ctx.report({
      containers: {
        [c.def.name!]: { lastStatus: 'STOPPED', exitCode: exit.exitCode, ...(exit.oomKilled && { reason: OOM_REASON }) },
      },
    });
    if (this.stopping) return;
    if (c.def.essential ?? true) {
      void this.stop({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    } else {
      await this.advanceOrStop();
    }
  }

  private async runStop(reason: StopReason): Promise<void> {
    const { ctx } = this;
    await ctx.report({ lastStatus: 'DEACTIVATING', stopCode: reason.stopCode, stoppedReason: reason.stoppedReason, stoppingAt: now() });
    await ctx.report({ lastStatus: 'STOPPING' });
    // A container whose start was under way is running (or failed) once it settles, and is stopped below.
    await Promise.allSettled([...this.startsUnderWay]);
    for (const wave of stopOrder(this.spec.containerDefinitions)) {
      await Promise.all(wave.map((name) => this.stopContainer(this.container(name))));
    }
    await ctx.report({ lastStatus: 'DEPROVISIONING', executionStoppedAt: now() });
    this.deps.metadata.unregisterCredentials(ctx.credentialsId);
    for (const c of ctx.containers.values()) {
      c.checker?.stop();
      await c.forwarder?.close();
      this.deps.metadata.unregister(c.token);
      await this.deps.runtime.remove(c.runtimeId).catch((err: unknown) => this.deps.log.warn({ err }, 'container removal failed'));
    }
    await this.taskLimits?.catch(() => undefined);
    await this.deps.runtime.removeTaskCgroup(ctx.cgroupParent).catch((err: unknown) => this.deps.log.warn({ err }, 'task cgroup removal failed'));
    // A stop that came while the network was being set up tears it down once it exists.
    await this.networkSetup?.catch(() => undefined);
    await this.deps.networks.teardown(this.spec.taskId).catch((err: unknown) => this.deps.log.warn({ err }, 'network teardown failed'));
    // The task's files (logs already delivered, volumes, run state) go before STOPPED is reported,
    // so that a stopped task leaves nothing behind, even across a crash here.
    await rm(ctx.dir, { recursive: true, force: true });
    const containers = Object.fromEntries(
      [...ctx.containers.values()].filter((c) => c.status === 'PENDING').map((c) => [c.def.name!, { lastStatus: 'STOPPED' }]),
    );
    await ctx.report({ lastStatus: 'STOPPED', stoppedAt: now(), containers });
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
}
