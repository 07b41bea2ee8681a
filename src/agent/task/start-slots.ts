/** Priorities of {@link StartSlots}: work of a task already under way goes before a new task's. */
export const SlotPriority = { NewTask: 0, Continuing: 1 } as const;
/** One of {@link SlotPriority}. */
export type SlotPriority = (typeof SlotPriority)[keyof typeof SlotPriority];

/**
 * Bounds how many task starts do their CPU-heavy steps (network setup, container starts: helper
 * processes, runc, mounts) at once. Hundreds of tasks launched together would otherwise all run
 * their helpers at the same time and thrash a small host: every task becomes RUNNING late, and
 * slow helpers hit their timeouts. A continuing task's step is served before a new task's, so
 * tasks under way finish first and each reaches RUNNING as early as the host allows.
 */
export class StartSlots {
  private active = 0;
  private readonly queues: Array<Array<() => void>> = [[], []];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`start slots need a positive integer limit, got ${limit}`);
  }

  /** Steps running now (for tests and metrics). */
  get running(): number {
    return this.active;
  }

  /** Steps waiting for a slot. */
  get waiting(): number {
    return this.queues[0]!.length + this.queues[1]!.length;
  }

  /** Runs `step` once a slot is free; the slot is released when it settles. */
  async run<T>(priority: SlotPriority, step: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queues[priority]!.push(resolve));
    else this.active++;
    try {
      return await step();
    } finally {
      const next = this.queues[SlotPriority.Continuing]!.shift() ?? this.queues[SlotPriority.NewTask]!.shift();
      // The slot passes straight to the next step, so a newcomer cannot take it in between.
      if (next) next();
      else this.active--;
    }
  }
}
