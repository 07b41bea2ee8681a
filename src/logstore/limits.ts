/** CloudWatch Logs' documented limits, in one place. */

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Milliseconds in a day, for retention arithmetic. */
export const DAY_MS = DAY;

/** PutLogEvents: the most bytes in a batch, counting each message's UTF-8 bytes plus 26. */
export const MAX_BATCH_BYTES = 1_048_576;
/** PutLogEvents: the bytes counted for each event on top of its message. */
export const EVENT_OVERHEAD_BYTES = 26;
/** PutLogEvents: the largest event (message bytes plus the overhead). */
export const MAX_EVENT_BYTES = 1_048_576;
/** PutLogEvents: events further in the future than this are rejected. */
export const MAX_FUTURE_MS = 2 * HOUR;
/** PutLogEvents: events older than this are rejected. */
export const MAX_AGE_MS = 14 * DAY;
/** PutLogEvents: the accepted events of a batch may span at most this. */
export const MAX_BATCH_SPAN_MS = 24 * HOUR;

/** GetLogEvents and FilterLogEvents: at most this many events, and about this many bytes, per page. */
export const MAX_EVENTS_PER_PAGE = 10_000;
/** GetLogEvents and FilterLogEvents: a page stops growing once its messages pass this size. */
export const MAX_PAGE_BYTES = 1_048_576;

/** DescribeLogGroups and DescribeLogStreams: the default and largest `limit`. */
export const DESCRIBE_LIMIT = 50;

/** The most tags a log group can have. */
export const MAX_TAGS = 50;

/** The retention periods PutRetentionPolicy accepts, in days (API reference). */
export const RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
