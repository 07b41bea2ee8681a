/** Makes and releases the pool's sandboxes (network namespaces with their address and veth). */
export interface SandboxMaker {
  /** Makes one sandbox, ready to be handed to a task; resolves with its id. */
  make(): Promise<string>;
  /** Removes a sandbox that no task took. */
  release(id: string): Promise<void>;
}

/** How the pool behaves. */
export interface SandboxPoolOptions {
  /** Sandboxes kept ready (and being made) at most. */
  size: number;
  /** Called when making or releasing a sandbox fails; the pool carries on. */
  onError: (err: unknown, what: 'make' | 'release') => void;
  /** Waits after a failed make, doubling up to {@link maxBackoffMs}; default 1 s. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** For tests; default a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A few task network sandboxes made ahead of demand, so that a task starting takes one at once
 * instead of waiting for the CNI plugins; each one taken is replaced in the background, one at a
 * time, so that refilling never takes more than one CPU's share from the starts themselves.
 * The pool knows only ids: what a sandbox is and how it survives a restart is the maker's concern.
 */
export class SandboxPool {
  private readonly ready: string[] = [];
  private filling: Promise<void> | undefined;
  private closed = false;
  private started = false;
  private failures = 0;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly maker: SandboxMaker,
    private readonly opts: SandboxPoolOptions,
  ) {
    if (!Number.isInteger(opts.size) || opts.size < 0) throw new RangeError(`a sandbox pool needs a size >= 0, got ${opts.size}`);
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
  }

  /** Sandboxes ready now. */
  get available(): number {
    return this.ready.length;
  }

  /** Begins filling the pool. */
  start(): void {
    if (this.closed) return;
    this.started = true;
    this.refill();
  }

  /** A ready sandbox, now taken out of the pool (its owner is the caller), or undefined when none is. */
  take(): string | undefined {
    const id = this.ready.shift();
    this.refill();
    return id;
  }

  /**
   * Stops refilling, waits for a sandbox being made, and releases every one still in the pool.
   * Resolves once they are gone (failures are reported to onError).
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.filling;
    const left = this.ready.splice(0);
    for (const id of left) await this.maker.release(id).catch((err: unknown) => this.opts.onError(err, 'release'));
  }

  /** Makes sandboxes one after another until the pool is full; one loop at a time. */
  private refill(): void {
    if (!this.started || this.closed || this.filling || this.ready.length >= this.opts.size) return;
    this.filling = this.fill().finally(() => {
      this.filling = undefined;
    });
  }

  private async fill(): Promise<void> {
    while (!this.closed && this.ready.length < this.opts.size) {
      let id: string;
      try {
        id = await this.maker.make();
        this.failures = 0;
      } catch (err) {
        this.opts.onError(err, 'make');
        this.failures++;
        const base = this.opts.backoffMs ?? 1_000;
        await this.sleep(Math.min(base * 2 ** (this.failures - 1), this.opts.maxBackoffMs ?? 30_000));
        continue;
      }
      // Closed while it was made: it never enters the pool, close() does not see it.
      if (this.closed) await this.maker.release(id).catch((err: unknown) => this.opts.onError(err, 'release'));
      else this.ready.push(id);
    }
  }
}
