import type { ContainerInstanceRecord, ContainerInstanceRegistry } from '../control/container-instances/container-instance.js';
import type { StopReason, TaskAgent, TaskLaunchSpec } from '../agent-contract/task-contract.js';

/**
 * The control plane's TaskAgent: tasks placed on a container instance are carried out by that
 * instance's agent, which learns of them by polling; `launch` and `stop` only wake its held poll,
 * since the orders themselves are computed from the task records (level-triggered: a wake that
 * finds no poll waiting is remembered, and a missed one costs at most one poll interval).
 * Tasks without an instance run on the control host's own agent.
 */
export class RemoteAgents implements TaskAgent {
  private readonly waiters = new Map<string, Set<() => void>>();
  /** Instances woken while none of their polls was waiting. */
  private readonly pending = new Set<string>();
  private closed = false;

  /** Whether the control plane is shutting down: held polls answer at once. */
  get isClosed(): boolean {
    return this.closed;
  }

  constructor(private readonly local: TaskAgent) {}

  launch(spec: TaskLaunchSpec): void {
    if (spec.containerInstanceArn === undefined) return this.local.launch(spec);
    this.wake(spec.containerInstanceArn);
  }

  stop(taskArn: string, reason: StopReason, containerInstanceArn?: string): void {
    if (containerInstanceArn === undefined) return this.local.stop(taskArn, reason);
    this.wake(containerInstanceArn);
  }

  capacity(): { cpu: number; memory: number } {
    return this.local.capacity();
  }

  /**
   * Told of every wake, so that other control-plane processes sharing the store can wake the
   * polls held there (they call {@link wakeHere}).
   */
  onWake: ((containerInstanceArn: string) => void) | undefined;

  /** Tells the instance's agent that its tasks changed: its held poll answers now, wherever it is held. */
  wake(containerInstanceArn: string): void {
    this.wakeHere(containerInstanceArn);
    this.onWake?.(containerInstanceArn);
  }

  /** Answers the instance's poll if this process holds it (else remembers the wake for its next poll). */
  wakeHere(containerInstanceArn: string): void {
    const set = this.waiters.get(containerInstanceArn);
    if (!set || set.size === 0) {
      this.pending.add(containerInstanceArn);
      return;
    }
    for (const resolve of set) resolve();
  }

  /**
   * Marks the start of a poll's evaluation: wakes before this point are consumed (the poll is
   * about to read the records they changed); wakes after it end the following `wait` at once.
   */
  beginPoll(containerInstanceArn: string): void {
    this.pending.delete(containerInstanceArn);
  }

  /** Resolves when the instance is woken, after `ms`, when `signal` aborts, or at close. */
  wait(containerInstanceArn: string, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted || this.pending.delete(containerInstanceArn)) return Promise.resolve();
    return new Promise((resolve) => {
      let set = this.waiters.get(containerInstanceArn);
      if (!set) this.waiters.set(containerInstanceArn, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(containerInstanceArn);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  /** Ends every held poll and refuses to hold new ones (the front door is closing). */
  close(): void {
    this.closed = true;
    for (const set of this.waiters.values()) for (const resolve of [...set]) resolve();
  }
}

/** Options of {@link startDisconnectSweeper}. */
export interface SweeperOptions {
  /** An agent not heard from for this long is marked disconnected (ECS waits minutes; tests seconds). */
  timeoutMs: number;
  /** Called with the instances newly marked, and with failures. */
  onDisconnected?: (instances: ContainerInstanceRecord[]) => void;
  onError?: (err: unknown) => void;
}

/** Marks silent agents disconnected, checking twice per timeout; returns the stop function. */
export function startDisconnectSweeper(registry: ContainerInstanceRegistry, options: SweeperOptions): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    registry
      .markDisconnected(new Date(), options.timeoutMs)
      .then((marked) => {
        if (marked.length > 0) options.onDisconnected?.(marked);
      })
      .catch((err: unknown) => options.onError?.(err))
      .finally(() => (running = false));
  }, Math.max(100, Math.min(options.timeoutMs / 2, 30_000)));
  timer.unref();
  return () => clearInterval(timer);
}
