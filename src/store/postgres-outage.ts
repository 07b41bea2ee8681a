/**
 * What minato does while its PostgreSQL server is away (restarting, failing over): callers that
 * need a connection wait for it to come back, for a bounded time counted from the first failure,
 * rather than failing at once. The wait is shared: once the outage outlasted it, every caller
 * fails at its first refused connection until one succeeds again, so that callers queued behind
 * each other (writers take turns) do not each wait the whole time.
 */

/** Socket errors of a connection that could not be made or was cut. */
const SOCKET_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);

/**
 * Whether `err` says the server could not be reached or dropped the connection (as opposed to an
 * error of a statement): a socket error, SQLSTATE class 08 (connection exception), 57P01..57P03
 * (the server is shutting down, crashed, or not accepting connections yet), or the driver's own
 * word for a connection that ended (or that it stopped using after an error).
 */
export function isConnectionFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (SOCKET_FAILURES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code))) return true;
  return /^Connection terminated|connection error and is not queryable/.test(err.message);
}

/** The first pause between attempts, and the longest; pauses double in between. */
const FIRST_PAUSE_MS = 50;
const LONGEST_PAUSE_MS = 1_000;

/** How long callers wait for the server by default, from the first failure. */
export const DEFAULT_OUTAGE_WAIT_MS = 10_000;

/** One pool's view of its server's availability. */
export class Outage {
  /** When the current outage was first seen (performance.now()), or undefined while the server answers. */
  private since: number | undefined;
  /** The latest failure: an outage no caller has tried since the wait is over for good. */
  private last = 0;

  constructor(
    private readonly waitMs = DEFAULT_OUTAGE_WAIT_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The server answered: the outage, if any, is over. */
  recovered(): void {
    this.since = undefined;
  }

  /**
   * A connection failed the `attempt`-th time (from 1) for one caller: how long it should pause
   * before trying again, or undefined when it should give up (the outage outlasted the wait).
   */
  failed(attempt: number): number | undefined {
    const now = this.now();
    // Nobody tried for longer than the wait: whether the server came back in between is unknown,
    // so this is a new outage, with a new wait.
    if (this.since === undefined || now - this.last > this.waitMs) this.since = now;
    this.last = now;
    const pause = Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** Math.min(attempt - 1, 16));
    const left = this.since + this.waitMs - now;
    if (left <= 0) return undefined;
    return Math.min(pause, left);
  }

  /**
   * Runs `attempt` until it succeeds, or fails otherwise than by a lost connection, or the
   * outage outlasted the wait (then its last error is thrown).
   */
  async retry<R>(attempt: () => Promise<R>): Promise<R> {
    for (let n = 1; ; n++) {
      try {
        const result = await attempt();
        this.recovered();
        return result;
      } catch (err) {
        const pause = isConnectionFailure(err) ? this.failed(n) : undefined;
        if (pause === undefined) throw err;
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }
}
