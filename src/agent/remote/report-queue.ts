import type { TaskReport } from '../../agent-contract/protocol.js';

/** Sends a batch; resolves with how many, from the first, were applied. */
export type ReportSender = (reports: TaskReport[]) => Promise<number>;

/** Options of {@link ReportQueue}. */
export interface ReportQueueOptions {
  /** Reports per request at most. */
  batch?: number;
  /** First retry delay after a failure, doubled up to `maxDelayMs`. */
  retryDelayMs?: number;
  maxDelayMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * The agent's unsent reports, in the order they happened, sent in batches until acknowledged.
 * A failed send is retried with backoff; tasks keep running meanwhile. Order is kept across all
 * tasks (so per task too), and nothing is dropped except through `drop` (a forgotten task).
 */
export class ReportQueue {
  private readonly items: TaskReport[] = [];
  private sender: ReportSender | undefined;
  private flushing: Promise<void> | undefined;
  private delay: number;
  private closed = false;
  private readonly batch: number;
  private readonly retryDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly options: ReportQueueOptions = {}) {
    this.batch = options.batch ?? 100;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 15_000;
    this.delay = this.retryDelayMs;
  }

  /** How many reports wait. */
  get size(): number {
    return this.items.length;
  }

  /** Queues a report and sends it as soon as a sender is set. */
  push(report: TaskReport): void {
    this.items.push(report);
    this.kick();
  }

  /** Sets (or replaces, after a re-registration) the sender and sends what waits. */
  setSender(sender: ReportSender): void {
    this.sender = sender;
    this.delay = this.retryDelayMs;
    this.kick();
  }

  /** Drops a task's waiting reports (the control plane has recorded it as STOPPED). */
  drop(taskArn: string): void {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i]!.taskArn === taskArn) this.items.splice(i, 1);
  }

  /** Resolves once nothing waits, or after `ms`; true when drained. */
  async drain(ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (this.items.length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    return this.items.length === 0;
  }

  /** Stops sending (the agent is shutting down). */
  close(): void {
    this.closed = true;
  }

  private kick(): void {
    if (this.flushing || !this.sender || this.closed) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      if (this.items.length > 0 && !this.closed) this.kick();
    });
  }

  private async flush(): Promise<void> {
    for (let round = 0; this.items.length > 0 && !this.closed && round < 1_000; round++) {
      const sender = this.sender!;
      const batch = this.items.slice(0, this.batch);
      let accepted = 0;
      try {
        accepted = Math.max(0, Math.min(batch.length, await sender(batch)));
      } catch (err) {
        this.options.onError?.(err);
      }
      // The batch is still at the head: only `push` appends, and `drop` removes forgotten tasks only.
      this.items.splice(0, this.countHead(batch, accepted));
      if (accepted === 0) {
        await new Promise((r) => setTimeout(r, this.delay));
        this.delay = Math.min(this.delay * 2, this.maxDelayMs);
      } else {
        this.delay = this.retryDelayMs;
      }
    }
  }

  /** How many head items are the first `accepted` of `batch` (a drop during the send may have removed some). */
  private countHead(batch: readonly TaskReport[], accepted: number): number {
    let n = 0;
    for (let i = 0; i < accepted && n < this.items.length; i++) if (this.items[n] === batch[i]) n++;
    return n;
  }
}
