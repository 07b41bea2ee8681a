/**
 * Live tail, pure: each poll asks FilterLogEvents for events from the newest timestamp seen (the
 * boundary millisecond again, since more lines may land in it), and the answer is merged by event
 * id, so nothing is shown twice and nothing is skipped.
 */
import type { LogEvent } from '../aws/logs.js';

export interface TailState {
  /** Shown events, oldest first, at most `cap`. */
  readonly events: readonly LogEvent[];
  /** Ids of the events at the newest timestamp (the only ones a next poll can repeat). */
  readonly boundaryIds: ReadonlySet<string>;
  /** Where the next poll starts (ms). */
  readonly since: number;
}

export function startTail(since: number): TailState {
  return { events: [], boundaryIds: new Set(), since };
}

const idOf = (e: LogEvent) => e.eventId ?? `${e.logStreamName ?? ''}/${e.timestamp}/${e.message}`;

/** The state after a poll answered `incoming` (in any order). */
export function mergeTail(state: TailState, incoming: readonly LogEvent[], cap = 5000): TailState {
  const fresh = incoming.filter((e) => e.timestamp > state.since || (e.timestamp === state.since && !state.boundaryIds.has(idOf(e))));
  if (fresh.length === 0) return state;
  const sorted = [...fresh].sort((a, b) => a.timestamp - b.timestamp);
  const events = [...state.events, ...sorted].slice(-cap);
  const newest = sorted[sorted.length - 1]!.timestamp;
  const boundaryIds = new Set(newest === state.since ? state.boundaryIds : []);
  for (const e of sorted) if (e.timestamp === newest) boundaryIds.add(idOf(e));
  return { events, boundaryIds, since: newest };
}

/** The download: one line per event, `ISO-time<TAB>stream<TAB>message`. */
export function eventsAsText(events: readonly LogEvent[]): string {
  return events.map((e) => `${new Date(e.timestamp).toISOString()}\t${e.logStreamName ?? ''}\t${e.message.replace(/\n$/, '')}\n`).join('');
}
