/**
 * Per-period traffic from HAProxy's cumulative counters, pure. Each reading is compared with the
 * previous one of the same worker; what a period saw is the difference. A worker's counters start
 * from zero, so:
 * - a reading of a new worker (after a reload or a restart) counts all its counters;
 * - a counter that went down within one worker (cleared, or a proxy recreated) counts from zero;
 * - a worker retired by a reload is never counted again (a late answer from it would count twice);
 * - a worker already serving when the tracking starts (adopted after a restart of the platform)
 *   only sets the baseline: what it counted before is not this period's.
 */
import { COUNTER_NAMES, type ProxyCounters, type StatReading, rowKey, zeroCounters } from './haproxy-stats.js';

export interface CounterState {
  /** The worker last read; `null` when the next worker seen is known to be fresh (started by us). */
  workerPid: number | null;
  /** Its counters by row key. */
  last: ReadonlyMap<string, ProxyCounters>;
  /** Workers replaced since (their answers are ignored). */
  retired: readonly number[];
}

/** The state before any reading: `fresh` when HAProxy was started (not adopted) by this process. */
export const initialCounterState = (fresh: boolean): CounterState | undefined =>
  fresh ? { workerPid: null, last: new Map(), retired: [] } : undefined;

/** How many replaced workers are remembered: reloads are minutes apart, answers seconds late. */
const RETIRED_KEPT = 8;

/** The counters the reading adds since `state`, and the state after it. */
export function advanceCounters(
  state: CounterState | undefined,
  reading: StatReading,
): { state: CounterState; deltas: Map<string, ProxyCounters> } {
  const deltas = new Map<string, ProxyCounters>();
  const current = new Map(reading.rows.map((r) => [rowKey(r), r.counters]));
  if (state?.retired.includes(reading.workerPid)) return { state, deltas };
  if (state === undefined) return { state: { workerPid: reading.workerPid, last: current, retired: [] }, deltas };
  const sameWorker = state.workerPid === reading.workerPid;
  for (const [key, now] of current) {
    const before = sameWorker ? state.last.get(key) : undefined;
    deltas.set(key, before ? difference(now, before) : { ...now });
  }
  const retired = sameWorker || state.workerPid === null ? state.retired : [...state.retired, state.workerPid].slice(-RETIRED_KEPT);
  return { state: { workerPid: reading.workerPid, last: current, retired }, deltas };
}

/** now − before per counter; a counter that went down restarted from zero, so all of it is new. */
export function difference(now: ProxyCounters, before: ProxyCounters): ProxyCounters {
  const out = zeroCounters();
  for (const k of COUNTER_NAMES) out[k] = now[k] >= before[k] ? now[k] - before[k] : now[k];
  return out;
}

/** Adds `more` into `into` (per key and counter). */
export function accumulate(into: Map<string, ProxyCounters>, more: ReadonlyMap<string, ProxyCounters>): void {
  for (const [key, d] of more) {
    const sum = into.get(key) ?? zeroCounters();
    for (const k of COUNTER_NAMES) sum[k] += d[k];
    into.set(key, sum);
  }
}
