import { invalidParameter } from '../lib/errors.js';
import {
  DAY_MS,
  EVENT_OVERHEAD_BYTES,
  MAX_AGE_MS,
  MAX_BATCH_BYTES,
  MAX_BATCH_SPAN_MS,
  MAX_EVENT_BYTES,
  MAX_FUTURE_MS,
} from './limits.js';

/**
 * PutLogEvents' rules for a batch, with AWS's messages: sizes, chronological order, the 24-hour
 * span, and which events are rejected (too new, too old, expired) while the rest are stored.
 */

/** An event as callers give it. */
export interface InputLogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** Where the rejected events of a chronological batch are: a prefix of old ones, a suffix of new ones. */
export interface RejectedLogEvents {
  /** The first event more than 2 hours in the future; it and all after it are rejected. */
  tooNewLogEventStartIndex?: number;
  /** The last event more than 14 days old; it and all before it are rejected. */
  tooOldLogEventEndIndex?: number;
  /** The last event older than the group's retention period; it and all before it are rejected. */
  expiredLogEventEndIndex?: number;
}

/** The accepted slice [start, end) of a batch and what was rejected. */
export interface Classified {
  readonly start: number;
  readonly end: number;
  readonly rejected?: RejectedLogEvents;
}

/** The UTF-8 size of each message (what the limits count). */
export function messageBytes(events: readonly InputLogEvent[]): number[] {
  return events.map((e) => Buffer.byteLength(e.message, 'utf8'));
}

/** Fails a batch that is too large or out of order, as PutLogEvents does. */
export function checkBatch(events: readonly InputLogEvent[], bytes: readonly number[]): void {
  let total = 0;
  for (const size of bytes) {
    const counted = size + EVENT_OVERHEAD_BYTES;
    if (counted > MAX_EVENT_BYTES) throw invalidParameter(`Log event too large: ${counted} bytes exceeds limit of ${MAX_EVENT_BYTES}`);
    total += counted;
  }
  if (total > MAX_BATCH_BYTES) throw invalidParameter(`Upload too large: ${total} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) {
      throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
  }
}

/**
 * Splits a chronological batch into rejected and accepted events. Events more than 2 hours ahead
 * of `now` are too new; more than 14 days behind it, too old; behind the retention period, expired.
 */
export function classify(events: readonly InputLogEvent[], now: number, retentionDays?: number): Classified {
  const oldest = now - MAX_AGE_MS;
  const newest = now + MAX_FUTURE_MS;
  const expiry = retentionDays === undefined ? undefined : now - retentionDays * DAY_MS;
  let tooOld = -1;
  let expired = -1;
  let tooNew = events.length;
  for (let i = 0; i < events.length; i++) {
    const t = events[i]!.timestamp;
    if (t < oldest) tooOld = i;
    if (expiry !== undefined && t < expiry) expired = i;
    if (t > newest && tooNew === events.length) tooNew = i;
  }
  const rejected: RejectedLogEvents = {
    ...(tooNew < events.length && { tooNewLogEventStartIndex: tooNew }),
    ...(tooOld >= 0 && { tooOldLogEventEndIndex: tooOld }),
    ...(expired >= 0 && { expiredLogEventEndIndex: expired }),
  };
  const start = Math.max(tooOld, expired) + 1;
  const end = Math.max(start, tooNew);
  return Object.keys(rejected).length === 0 ? { start, end } : { start, end, rejected };
}

/** Fails when the accepted events span more than 24 hours. */
export function checkSpan(events: readonly InputLogEvent[], start: number, end: number): void {
  if (end - start < 2) return;
  if (events[end - 1]!.timestamp - events[start]!.timestamp > MAX_BATCH_SPAN_MS) {
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
}

/** Splits a message into pieces of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function splitMessage(message: string, maxBytes: number): string[] {
  const buffer = Buffer.from(message, 'utf8');
  if (buffer.length <= maxBytes) return [message];
  const pieces: string[] = [];
  let start = 0;
  while (start < buffer.length) {
    let end = Math.min(start + maxBytes, buffer.length);
    // Back off continuation bytes (10xxxxxx) so the cut falls before a character's first byte.
    while (end < buffer.length && end > start && (buffer[end]! & 0xc0) === 0x80) end--;
    pieces.push(buffer.toString('utf8', start, end));
    start = end;
  }
  return pieces;
}
