import { invalidParameter } from '../lib/errors.js';
import { invalidCombination } from './datum-rules.js';

/**
 * Periods, time ranges and CloudWatch's retention, pure. CloudWatch keeps 1-second data for 3
 * hours, 1-minute data for 15 days, 5-minute data for 63 days and 1-hour data for 455 days; older
 * data survives only as coarser roll-ups. minato keeps each datum as published until it is 455
 * days old and applies the roll-up when reading: a bucket that lies further back than its
 * period's resolution is kept is not answered (see {@link retainedAt}), which is what CloudWatch
 * answers for such a request ("no data points in that time range").
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long data is answered at a resolution finer than a minute, a minute, five minutes, an hour. */
export const RETENTION_MS = { highResolution: 3 * HOUR, minute: 15 * DAY, fiveMinutes: 63 * DAY, hour: 455 * DAY } as const;

/** Sub-minute periods CloudWatch accepts (for high-resolution metrics). */
export const SUB_MINUTE_PERIODS: ReadonlySet<number> = new Set([1, 5, 10, 20, 30]);

/** The most datapoints one GetMetricStatistics answer may hold. */
export const MAX_DATAPOINTS = 1440;

/** Checks a Period: 1, 5, 10, 20, 30 or a multiple of 60 seconds. `param` names it in messages. */
export function checkPeriod(period: number, param = 'Period'): void {
  if (SUB_MINUTE_PERIODS.has(period) || (period > 0 && period % 60 === 0)) return;
  throw invalidParameter(`The parameter ${param} must be 1, 5, 10, 20, 30, or a multiple of 60.`);
}

/**
 * The start of the first bucket: StartTime rounded down as CloudWatch rounds it — to the period
 * for sub-minute periods, else to the minute (start less than 15 days ago), five minutes (15 to
 * 63 days) or the hour (older).
 */
export function alignedStart(startMs: number, periodSeconds: number, now: Date): number {
  const age = now.getTime() - startMs;
  const unit =
    periodSeconds < 60 ? periodSeconds * SECOND : age > RETENTION_MS.fiveMinutes ? HOUR : age > RETENTION_MS.minute ? 5 * MINUTE : MINUTE;
  return Math.floor(startMs / unit) * unit;
}

/** A checked time range: buckets of `periodMs` from `start` (inclusive) to `end` (exclusive). */
export interface TimeGrid {
  readonly start: number;
  readonly end: number;
  readonly periodMs: number;
  readonly buckets: number;
}

/** Checks StartTime < EndTime and builds the bucket grid (epoch milliseconds in, out). */
export function timeGrid(startMs: number, endMs: number, periodSeconds: number, now: Date): TimeGrid {
  if (!(startMs < endMs)) throw invalidParameter('The parameter StartTime must be less than the parameter EndTime.');
  const start = alignedStart(startMs, periodSeconds, now);
  const periodMs = periodSeconds * SECOND;
  return { start, end: endMs, periodMs, buckets: Math.ceil((endMs - start) / periodMs) };
}

/** Refuses a GetMetricStatistics request for more than 1,440 datapoints, in CloudWatch's words. */
export function checkDatapointLimit(grid: TimeGrid): void {
  if (grid.buckets > MAX_DATAPOINTS) {
    throw invalidCombination(
      `You have requested up to ${grid.buckets.toLocaleString('en-US')} datapoints, which exceeds the limit of ${MAX_DATAPOINTS.toLocaleString('en-US')}. ` +
        'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
    );
  }
}

/**
 * Whether a bucket starting at `bucketStart` is still answered for `periodSeconds` at `now`: data
 * older than 3 hours only at multiples of a minute, older than 15 days at multiples of five
 * minutes, older than 63 days at multiples of an hour, and nothing older than 455 days.
 */
export function retainedAt(bucketStart: number, periodSeconds: number, now: Date): boolean {
  const age = now.getTime() - bucketStart;
  if (age > RETENTION_MS.hour) return false;
  if (age > RETENTION_MS.fiveMinutes) return periodSeconds % 3600 === 0;
  if (age > RETENTION_MS.minute) return periodSeconds % 300 === 0;
  if (age > RETENTION_MS.highResolution) return periodSeconds % 60 === 0;
  return true;
}

/** The index of the bucket a timestamp falls in, or -1 outside the grid. */
export function bucketOf(grid: TimeGrid, timestamp: number): number {
  if (timestamp < grid.start || timestamp >= grid.end) return -1;
  return Math.floor((timestamp - grid.start) / grid.periodMs);
}
