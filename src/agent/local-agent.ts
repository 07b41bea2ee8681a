import { cpus, totalmem } from 'node:os';
import type { StopReason, TaskAgent, TaskLaunchSpec } from '../lib/task-contract.js';
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

  /** The tasks this agent runs now (Container Insights samples them). */
  tasks(): TaskLaunchSpec[] {
    return [...this.runs.values()].map((r) => r.spec);
  }

  /** Re-adopts tasks that were running when the agent stopped (their containers outlived it). */
  async adopt(specs: readonly TaskLaunchSpec[]): Promise<void> {
    await Promise.all(
      specs.map(async (spec) => {
        const run = new TaskRun(spec, this.deps);
        this.runs.set(spec.taskArn, run);
        await run.adopt().catch((err: unknown) => this.deps.log.error({ err, taskArn: spec.taskArn }, 'adoption failed'));
      }),
    );
  }

  /** Stops every task this agent runs (used by tests; a platform shutdown leaves tasks running). */
  async stopAll(reason: StopReason): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => r.stop(reason)));
    this.runs.clear();
  }
}
