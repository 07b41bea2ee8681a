import { invalidParameter } from '../lib/errors.js';
import type { EventPosition } from './log-store.js';

/**
 * The opaque strings of CloudWatch Logs: event ids, sequence tokens and GetLogEvents' forward and
 * backward tokens. AWS's are 56-digit numbers (tokens wrapped as `f/…/s` and `b/…/s`); these have
 * the same look and carry a position in (timestamp, id) order.
 */

const digits = (value: number, width: number): string => String(value).padStart(width, '0');

/** The 56 digits of a position: 20 for the timestamp, 36 for the event id. */
const positionDigits = (p: EventPosition): string => digits(p.timestamp, 20) + digits(p.id, 36);

/** The `eventId` of a stored event (unique, and ordered like the events). */
export const eventId = (p: EventPosition): string => positionDigits(p);

/** The sequence token of a stream after `uploads` batches (accepted and ignored on input, as AWS does now). */
export const sequenceToken = (streamId: number, uploads: number): string => digits(streamId, 20) + digits(uploads, 36);

/** Which way a GetLogEvents token reads. */
export type Direction = 'forward' | 'backward';

/** A GetLogEvents token: read `direction` from `position` (exclusive). */
export interface StreamToken {
  readonly direction: Direction;
  readonly position: EventPosition;
}

/** Formats a GetLogEvents token (`f/<56 digits>/s` or `b/<56 digits>/s`). */
export function formatStreamToken(token: StreamToken): string {
  return `${token.direction === 'forward' ? 'f' : 'b'}/${positionDigits(token.position)}/s`;
}

/** Reads a GetLogEvents token; throws InvalidParameter for anything else. */
export function parseStreamToken(text: string): StreamToken {
  const match = /^([fb])\/(\d{20})(\d{36})\/s$/.exec(text);
  if (!match) throw invalidParameter('The specified nextToken is invalid.');
  return {
    direction: match[1] === 'f' ? 'forward' : 'backward',
    position: { timestamp: Number(match[2]), id: Number(match[3]) },
  };
}
