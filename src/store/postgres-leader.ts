import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Fence } from './fence.js';
import { migrate } from './postgres-migrations.js';

/**
 * One statement takes the lease or renews it. The row is taken when it is free (absent or
 * expired, by the server's clock) or already ours; otherwise the WHERE leaves it alone and no
 * row comes back. The fencing token grows whenever the lease was not ours without a break (a
 * takeover, or our own lease that expired), so work stamped with an older token can be refused.
 * Two contenders at once are settled by the row lock: the second re-reads the first's row and
 * finds it taken.
 */
const ACQUIRE = `
  INSERT INTO leader_leases AS l (name, holder, token, expires_at)
  VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
  ON CONFLICT (name) DO UPDATE SET
    holder = excluded.holder,
    token = CASE WHEN l.holder = excluded.holder AND l.expires_at > now() THEN l.token ELSE l.token + 1 END,
    expires_at = excluded.expires_at
  WHERE l.holder = excluded.holder OR l.expires_at <= now()
  RETURNING token`;

/** Gives the lease up at once, if we hold it, so that another process need not wait for it to expire. */
const RELEASE = 'UPDATE leader_leases SET expires_at = now() WHERE name = $1 AND holder = $2 AND expires_at > now()';

/** How a lease is taken and kept. */
export interface LeaderLeaseOptions {
  /** `postgres://…`, the database the store uses. */
  connectionString: string;
  /** Which lease (several roles may each have a leader); default `minato`. */
  name?: string;
  /** Who we are; default host name and a random id, unique per lease object. */
  holder?: string;
  /** How long a taken or renewed lease lasts without renewal (ms; default 15 s). */
  leaseMs?: number;
  /** How often the lease is renewed, or sought when another holds it (ms; default a third of the lease). */
  renewEveryMs?: number;
  /** Told of a renewal that failed (the lease is then treated as lost). */
  onError?: (err: Error) => void;
}

/**
 * A leader lease in PostgreSQL: at most one holder per name at a time, by the server's clock.
 * The holder believes it leads only until the lease time has passed since it *sent* its last
 * successful renewal, which is before the server's expiry: so it stops leading before another
 * process can take over, whatever the network delays. A failed renewal ends the leadership at
 * once. Renewals use their own connection, so a busy store never delays them.
 */
export class PostgresLeaderLease {
  readonly holder: string;
  private readonly name: string;
  private readonly leaseMs: number;
  private readonly renewEveryMs: number;
  private leaderUntil = 0;
  private currentToken: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: LeaderLeaseOptions,
  ) {
    this.name = options.name ?? 'minato';
    this.holder = options.holder ?? `${hostname()}/${randomUUID()}`;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.renewEveryMs = options.renewEveryMs ?? Math.floor(this.leaseMs / 3);
    if (!(this.renewEveryMs > 0 && this.renewEveryMs < this.leaseMs)) throw new Error('the lease must be renewed more often than it lasts');
  }

  /** Connects, makes sure the schema is there, tries once, then keeps trying or renewing in the background. */
  static async start(options: LeaderLeaseOptions): Promise<PostgresLeaderLease> {
    const leaseMs = options.leaseMs ?? 15_000;
    // One connection. A renewal that waits longer than the lease could not keep it anyway: the
    // server cancels it (statement_timeout), which leaves the connection usable for the next.
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: 1,
      statement_timeout: leaseMs,
      connectionTimeoutMillis: leaseMs,
      keepAlive: true,
      application_name: 'minato-leader',
    });
    pool.on('error', (err) => options.onError?.(err));
    try {
      await migrate(pool);
      const lease = new PostgresLeaderLease(pool, options);
      await lease.renew();
      lease.schedule();
      return lease;
    } catch (err) {
      await pool.end();
      throw err;
    }
  }

  /** Whether we hold the lease now. */
  isLeader(): boolean {
    return !this.stopped && performance.now() < this.leaderUntil;
  }

  /** The fencing token of our lease while we lead; undefined otherwise. */
  token(): number | undefined {
    return this.isLeader() ? this.currentToken : undefined;
  }

  /** What writes made as our work are fenced with (store/fence.ts) while we lead; undefined otherwise. */
  fence(): Fence | undefined {
    const token = this.token();
    return token === undefined ? undefined : { name: this.name, holder: this.holder, token };
  }

  /** One round: takes or renews the lease if it can; tells whether we lead afterwards. */
  async renew(): Promise<boolean> {
    const sentAt = performance.now();
    try {
      const { rows } = await this.pool.query<{ token: string }>(ACQUIRE, [this.name, this.holder, this.leaseMs]);
      if (rows[0]) {
        this.currentToken = Number(rows[0].token);
        this.leaderUntil = sentAt + this.leaseMs;
      } else {
        this.leaderUntil = 0;
      }
    } catch (err) {
      this.leaderUntil = 0;
      this.options.onError?.(err as Error);
    }
    return this.isLeader();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.renew().then(() => this.schedule());
    }, this.renewEveryMs);
  }

  /**
   * Stops renewing and leading. With `release` (the default) the lease is given up at once;
   * without, it runs out on its own, as when a process dies.
   */
  async stop({ release = true }: { release?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    try {
      if (release) await this.pool.query(RELEASE, [this.name, this.holder]);
    } finally {
      this.leaderUntil = 0;
      await this.pool.end();
    }
  }
}
