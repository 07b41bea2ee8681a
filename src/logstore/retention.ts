import { retentionCutoff } from './log-groups.js';
import type { LogStore } from './log-store.js';

/** Rows deleted per transaction, so that one sweep never holds the database for long. */
const CHUNK = 5_000;

/**
 * Deletes events older than their group's retention period as of `now`, at most `maxRows` of them
 * (the sweeper's budget per run). Returns how many were deleted. Queries already hide such events;
 * this reclaims their space.
 */
export async function sweepRetention(store: LogStore, now: Date, maxRows = Number.POSITIVE_INFINITY): Promise<number> {
  let deleted = 0;
  for (const group of await store.groupsWithRetention()) {
    const cutoff = retentionCutoff(group, now);
    while (deleted < maxRows) {
      const n = await store.deleteEventsBefore(group.id, cutoff, Math.min(CHUNK, maxRows - deleted));
      deleted += n;
      if (n === 0) break;
    }
    if (deleted >= maxRows) break;
  }
  return deleted;
}

/** How the sweeper runs. */
export interface SweeperOptions {
  /** The clock; defaults to the system clock (the sweeper is the one caller that reads it). */
  clock?: () => Date;
  /** Rows deleted per turn of the event loop; a sweep with more work continues on the next turn. */
  rowsPerTurn?: number;
  /** Called with anything a sweep throws; the sweeper keeps running. */
  onError?: (err: unknown) => void;
}

/**
 * Runs `sweep` every `intervalMs` milliseconds, in bounded turns so that a large deletion does not
 * block other work; a sweep never overlaps the previous one. Returns a function that stops it. The
 * timer does not keep the process alive.
 */
export function startSweeper(
  sweep: (now: Date, maxRows: number) => Promise<number>,
  intervalMs: number,
  options: SweeperOptions = {},
): () => void {
  const clock = options.clock ?? (() => new Date());
  const rowsPerTurn = options.rowsPerTurn ?? 20_000;
  let stopped = false;
  let running = false;
  const turn = async (): Promise<void> => {
    if (stopped) {
      running = false;
      return;
    }
    try {
      if ((await sweep(clock(), rowsPerTurn)) >= rowsPerTurn) {
        setImmediate(() => void turn());
        return;
      }
    } catch (err) {
      options.onError?.(err);
    }
    running = false;
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void turn();
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
