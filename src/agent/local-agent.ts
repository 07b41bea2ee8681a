import { cpus, totalmem } from 'node:os';
import { readdir, rm } from 'node:fs/promises';
import type { StopReason, TaskAgent, TaskLaunchSpec, TaskRecovery } from '../agent-contract/task-contract.js';
import type { TaskFirewall } from '../agent-contract/task-firewall.js';
import { taskCgroupParent } from './task/run-context.js';
import { StartSlots } from './task/start-slots.js';
import { TaskRun, type TaskRunDeps } from './task/task-run.js';

/** What the local agent runs tasks with: what each task run needs, and the resources it offers. */
export interface LocalAgentDeps extends TaskRunDeps {
  /** Resources offered to tasks; default: the host's cpus × 1024 units and its memory less 10 %. */
  capacity?: { cpu: number; memory: number };
  /** Task starts doing their CPU-heavy steps at once; default {@link defaultStartConcurrency}. */
  maxConcurrentStarts?: number;
}

/** Enough starts at once to keep every CPU busy while others wait on their helpers, few enough not to thrash. */
export function defaultStartConcurrency(): number {
  return Math.max(2, cpus().length) * 2;
}

/**
 * The agent of the control host: runs tasks on this machine (the Fargate-like launch type), one
 * TaskRun each, and reports their state through the reporter.
 */
export class LocalAgent implements TaskAgent {
  private readonly runs = new Map<string, TaskRun>();
  private readonly resources: { cpu: number; memory: number };
  private readonly deps: TaskRunDeps;

  constructor(deps: LocalAgentDeps) {
    this.deps = { ...deps, startSlots: deps.startSlots ?? new StartSlots(deps.maxConcurrentStarts ?? defaultStartConcurrency()) };
    this.resources = deps.capacity ?? {
      cpu: cpus().length * 1024,
      memory: Math.floor((totalmem() / (1024 * 1024)) * 0.9),
    };
  }

  launch(spec: TaskLaunchSpec): void {
    const run = new TaskRun(spec, this.deps);
    this.runs.set(spec.taskArn, run);
    void run.start();
  }

  stop(taskArn: string, reason: StopReason): void {
    const run = this.runs.get(taskArn);
    if (run) {
      void run.stop(reason).finally(() => this.runs.delete(taskArn));
      return;
    }
    // Nothing runs it here (it never started, or it was lost): it is stopped as far as we know.
    const at = Date.now();
    void this.deps.report(taskArn, { lastStatus: 'STOPPED', stopCode: reason.stopCode, stoppedReason: reason.stoppedReason, stoppingAt: at, stoppedAt: at });
  }

  capacity(): { cpu: number; memory: number } {
    return this.resources;
  }

  /** Replaces what a task's security groups allow (see TaskRun.setFirewall); a task not run here is left alone. */
  async setFirewall(taskArn: string, firewall: TaskFirewall): Promise<void> {
    await this.runs.get(taskArn)?.setFirewall(firewall);
  }

  /** The tasks this agent runs now (Container Insights samples them). */
  tasks(): TaskLaunchSpec[] {
    return [...this.runs.values()].map((r) => r.spec);
  }

  /**
   * Takes back the tasks found unfinished after a restart (their containers outlived the agent;
   * see TaskRun.adopt), then removes what belongs to no such task: containers, task networks and
   * task directories left by tasks that are already STOPPED or forgotten.
   */
  async adopt(recoveries: readonly TaskRecovery[]): Promise<void> {
    // Resolves once every running container is followed again and its metadata served; a task that
    // starts from the beginning, or a stop that waits out its stopTimeout, goes on in the background.
    await Promise.all(
      recoveries.map(async ({ spec, known, stop }) => {
        const run = new TaskRun(spec, this.deps);
        this.runs.set(spec.taskArn, run);
        await run.adopt(known, stop).catch((err: unknown) => this.deps.log.error({ err, taskArn: spec.taskArn }, 'adoption failed'));
      }),
    );
    await this.removeLeftovers().catch((err: unknown) => this.deps.log.error({ err }, 'removing leftovers failed'));
  }

  /** Removes containers, task networks, task cgroups and task directories of tasks this agent does not run. */
  private async removeLeftovers(): Promise<void> {
    const { runtime, networks, log } = this.deps;
    // Asked afresh for each item: a task launched meanwhile is this agent's, not a leftover.
    const ours = (taskId: string) => [...this.runs.values()].some((r) => r.spec.taskId === taskId);
    for (const id of await runtime.list()) {
      if (ours(id.slice(0, 32))) continue;
      log.warn({ container: id }, 'removing a container of no unfinished task');
      await runtime.kill(id, 'SIGKILL').catch(() => undefined);
      await runtime.wait(id).catch(() => undefined);
      await runtime.remove(id).catch((err: unknown) => log.warn({ err, container: id }, 'container removal failed'));
    }
    for (const taskId of await networks.list()) {
      if (!ours(taskId)) await networks.teardown(taskId).catch((err: unknown) => log.warn({ err, taskId }, 'network teardown failed'));
    }
    const dirs = await readdir(this.deps.tasksDir).catch(() => [] as string[]);
    for (const dir of dirs) {
      if (ours(dir)) continue;
      await runtime.removeTaskCgroup(taskCgroupParent(dir)).catch((err: unknown) => log.warn({ err, taskId: dir }, 'task cgroup removal failed'));
      await rm(`${this.deps.tasksDir}/${dir}`, { recursive: true, force: true });
    }
  }

  /** Stops every task this agent runs (used by tests; a platform shutdown leaves tasks running). */
  async stopAll(reason: StopReason): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => r.stop(reason)));
    this.runs.clear();
  }
}
