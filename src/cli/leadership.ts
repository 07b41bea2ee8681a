import type { Logger } from 'pino';
import { runFenced, type Fence } from '../store/fence.js';
import { PostgresLeaderLease } from '../store/postgres-leader.js';
import type { PlatformConfig } from './config.js';

/** Work only the leader does (a loop or sweeper): started when leadership is gained, stopped when lost. */
export interface LeaderWork {
  name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** The lease leadership follows (store/postgres-leader.ts). */
export interface Lease {
  isLeader(): boolean;
  fence(): Fence | undefined;
  stop(options?: { release?: boolean }): Promise<void>;
}

/** How a leader lease of the platform is taken. */
export interface LeaseOptions {
  /** How long a lease lasts unrenewed (ms; default 5 s: a dead leader's successor takes over within it and a renewal). */
  leaseMs?: number;
  /** How often it is renewed, or sought (ms; default 1 s). */
  renewEveryMs?: number;
}

/**
 * The leader lease of a platform on PostgreSQL; none on the embedded store, whose one process
 * always leads. A single process on PostgreSQL (not `--replica`) must lead before it takes back its
 * own host's tasks: it waits for a lease a killed predecessor left to run out, and refuses to start
 * when another process keeps it.
 */
export async function openLease(config: Pick<PlatformConfig, 'store' | 'replica'>, logger: Logger, options: LeaseOptions = {}): Promise<Lease | undefined> {
  if (config.store === undefined) return undefined;
  const leaseMs = options.leaseMs ?? 5_000;
  const lease = await PostgresLeaderLease.start({
    connectionString: config.store,
    leaseMs,
    renewEveryMs: options.renewEveryMs ?? Math.min(1_000, Math.floor(leaseMs / 3)),
    // The message and code only: the driver's error objects carry the client and its password.
    onError: (err) => logger.warn({ code: (err as { code?: string }).code, message: err.message }, 'renewing the leader lease failed'),
  });
  if (config.replica) return lease;
  const deadline = performance.now() + 2 * leaseMs;
  while (!lease.isLeader() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  if (lease.isLeader()) return lease;
  await lease.stop({ release: false });
  throw new Error('another minato process leads this PostgreSQL store: start every process that shares it with --replica');
}

/**
 * Starts the leader's work while the lease is held and stops it when the lease is lost, checking
 * every `checkEveryMs`. The work runs fenced by the lease (store/fence.ts): a write it makes after
 * the lease was lost is refused, even before the watch notices. Without a lease, the work runs
 * from `start` to `stop`.
 */
export class Leadership {
  private watch: NodeJS.Timeout | undefined;
  private running = false;
  private transition: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly lease: Lease | undefined,
    private readonly work: readonly LeaderWork[],
    private readonly logger: Logger,
    private readonly checkEveryMs = 250,
  ) {}

  /** Whether the leader's work runs here now. */
  get leading(): boolean {
    return this.running;
  }

  /** Starts following the lease (the work starts now if we lead). */
  async start(): Promise<void> {
    await this.follow();
    if (this.lease) {
      this.watch = setInterval(() => void this.follow(), this.checkEveryMs);
      this.watch.unref();
    }
  }

  /** Stops the work and, with a lease, gives it up so that another process takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watch);
    await this.settle(false);
    await this.lease?.stop();
  }

  private follow(): Promise<void> {
    return this.settle(!this.stopped && (this.lease?.isLeader() ?? true));
  }

  private settle(lead: boolean): Promise<void> {
    this.transition = this.transition.then(async () => {
      if (lead === this.running) return;
      this.running = lead;
      if (lead) {
        this.logger.info({ fence: this.lease?.fence()?.token }, 'leading: the background work runs here');
        const lease = this.lease;
        for (const w of this.work) {
          try {
            await (lease ? runFenced(() => lease.fence(), () => w.start()) : w.start());
          } catch (err) {
            this.logger.error({ err, work: w.name }, 'starting leader work failed');
          }
        }
      } else {
        if (this.lease && !this.stopped) this.logger.warn('no longer leading: the background work stops here');
        for (const w of [...this.work].reverse()) {
          await Promise.resolve(w.stop()).catch((err: unknown) => this.logger.error({ err, work: w.name }, 'stopping leader work failed'));
        }
      }
    });
    return this.transition;
  }
}

/** Leader work that a start function returns the stop of. */
export function stoppableWork(name: string, start: () => () => void | Promise<void>): LeaderWork {
  let stop: (() => void | Promise<void>) | undefined;
  return {
    name,
    start: () => void (stop = start()),
    stop: async () => {
      await stop?.();
      stop = undefined;
    },
  };
}

/** Leader work that runs `task` every `intervalMs`. */
export function periodicWork(name: string, intervalMs: number, task: () => Promise<unknown>, logger: Logger): LeaderWork {
  return stoppableWork(name, () => {
    const timer = setInterval(() => void task().catch((err: unknown) => logger.error({ err }, `${name} failed`)), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  });
}
