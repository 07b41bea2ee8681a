import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Runs `tick` every `intervalMs`, and at once when nudged; never two ticks at a time (a nudge
 * during a tick runs another right after it). The control loops (services, provisioning) use it.
 * Every tick runs in the asynchronous context `start` was called in, whoever nudged it: a loop
 * started as a leader's work (store/fence.ts) stays fenced when a request nudges it.
 */
export class TickLoop {
  private context: <R>(fn: () => R) => R = (fn) => fn();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;

  constructor(
    private readonly tick: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError?: (err: unknown) => void,
  ) {}

  /** Starts ticking, the first tick at once. */
  start(): void {
    this.context = AsyncLocalStorage.snapshot();
    this.started = true;
    this.schedule(0);
  }

  /** Stops ticking and waits for a tick under way. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Asks for a tick as soon as possible. */
  nudge(): void {
    if (!this.started) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.context(() => this.tick())
        .catch((err: unknown) => this.onError?.(err))
        .finally(() => {
          this.running = undefined;
          if (this.started) this.schedule(this.again ? 0 : this.intervalMs);
          this.again = false;
        });
    }, delay);
    this.timer.unref();
  }
}
