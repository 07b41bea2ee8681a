import { invalidParameter } from '../../../lib/errors.js';
import { CronError, nextCronTime, parseCron, type CronFields } from './cron.js';

/**
 * Rotation schedules, pure (Secrets Manager User Guide, "Rotation schedules" and "Schedule
 * expressions"): RotationRules hold AutomaticallyAfterDays, or a ScheduleExpression — `rate(n days)`,
 * `rate(n hours)` or `cron(...)`, in UTC — with an optional Duration. A schedule is a series of
 * rotation windows; a rotation may run any time in a window, and NextRotationDate is the end of
 * the next one ("the next rotation is scheduled to occur on or before this date").
 *
 * - AutomaticallyAfterDays n and rate(n days): the window is the UTC day n days after the day of
 *   the last rotation, from midnight; it closes at the end of that day unless a Duration says
 *   otherwise.
 * - rate(n hours), n from 4 (AWS's shortest interval) to 23: windows start at midnight and every n
 *   hours after it; each lasts one hour unless a Duration says otherwise.
 * - cron(...): a window starts at each time the expression names; one that names several hours a
 *   day has one-hour windows, one that names one time a day has windows to the end of the day.
 * A window never extends into the next UTC day or into the next window.
 */

/** RotationRules as stored (and answered by DescribeSecret). */
export interface RotationRules {
  automaticallyAfterDays?: number;
  scheduleExpression?: string;
  duration?: string;
}

/** What a schedule counts in. */
export type RotationSchedule =
  | { kind: 'days'; days: number }
  | { kind: 'hours'; hours: number }
  | { kind: 'cron'; fields: CronFields };

/** A schedule and its window length (undefined: the default of its kind). */
export interface RotationPlan {
  schedule: RotationSchedule;
  durationHours?: number;
}

/** A rotation window, epoch ms: rotation may start at `start` and should be done by `end`. */
export interface RotationWindow {
  start: number;
  end: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** AutomaticallyAfterDays' range, and rate(n days)'s. */
export const ROTATION_DAYS = { min: 1, max: 1000 } as const;
/** "You can rotate a secret as often as every four hours." */
export const MIN_RATE_HOURS = 4;

const dayOf = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** Checks RotationRules as RotateSecret does and returns the plan; InvalidParameterException otherwise. */
export function planOf(rules: RotationRules): RotationPlan {
  const { automaticallyAfterDays: days, scheduleExpression: expression, duration } = rules;
  if (days !== undefined && expression !== undefined) {
    throw invalidParameter('You can specify AutomaticallyAfterDays or ScheduleExpression in RotationRules, but not both.');
  }
  let schedule: RotationSchedule;
  if (days !== undefined) {
    if (!Number.isInteger(days) || days < ROTATION_DAYS.min || days > ROTATION_DAYS.max) {
      throw invalidParameter('RotationRules.AutomaticallyAfterDays must be within 1-1000.');
    }
    schedule = { kind: 'days', days };
  } else if (expression !== undefined) {
    schedule = parseExpression(expression);
  } else {
    throw invalidParameter('RotationRules must specify AutomaticallyAfterDays or ScheduleExpression.');
  }
  if (duration === undefined) return { schedule };
  const m = /^(\d+)h$/.exec(duration);
  const hours = m ? Number(m[1]) : NaN;
  if (!(hours >= 1 && hours <= 24)) throw invalidParameter(`Invalid Duration ${duration}: the rotation window must be between 1h and 24h.`);
  checkWindowFits(schedule, hours);
  return { schedule, durationHours: hours };
}

function parseExpression(expression: string): RotationSchedule {
  const rate = /^rate\((\d+) (days?|hours?)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    if (rate[2]!.startsWith('day')) {
      if (n < ROTATION_DAYS.min || n > ROTATION_DAYS.max) throw invalidParameter(`Invalid ScheduleExpression ${expression}: a rate in days must be within 1-1000.`);
      return { kind: 'days', days: n };
    }
    if (n >= 24 && n % 24 === 0 && n / 24 <= ROTATION_DAYS.max) return { kind: 'days', days: n / 24 };
    if (n < MIN_RATE_HOURS || n > 23) {
      throw invalidParameter(`Invalid ScheduleExpression ${expression}: a rate in hours must be within ${MIN_RATE_HOURS}-23 hours (or whole days).`);
    }
    return { kind: 'hours', hours: n };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    try {
      return { kind: 'cron', fields: parseCron(cron[1]!) };
    } catch (err) {
      if (err instanceof CronError) throw invalidParameter(`Invalid ScheduleExpression ${expression}: ${err.message}`);
      throw err;
    }
  }
  throw invalidParameter(`Invalid ScheduleExpression ${expression}: use rate(n days), rate(n hours) or cron(minutes hours day-of-month month day-of-week year).`);
}

/** The start times of a schedule within one day, in ms after midnight. */
function startsInDay(schedule: RotationSchedule): number[] {
  if (schedule.kind === 'days') return [0];
  if (schedule.kind === 'hours') {
    const out: number[] = [];
    for (let h = 0; h < 24; h += schedule.hours) out.push(h * HOUR_MS);
    return out;
  }
  return schedule.fields.hours.flatMap((h) => schedule.fields.minutes.map((m) => h * HOUR_MS + m * 60_000));
}

function checkWindowFits(schedule: RotationSchedule, hours: number): void {
  const starts = startsInDay(schedule);
  const length = hours * HOUR_MS;
  const fits = starts.every((s, i) => s + length <= DAY_MS && (i + 1 >= starts.length || s + length <= starts[i + 1]!));
  if (!fits) {
    throw invalidParameter(`Invalid Duration ${hours}h: the rotation window must not extend into the next UTC day or into the next rotation window.`);
  }
}

/** How long a window of `plan` starting at `start` lasts: its Duration, else its kind's default. */
function windowEnd(plan: RotationPlan, start: number): number {
  if (plan.durationHours !== undefined) return start + plan.durationHours * HOUR_MS;
  const hourly = plan.schedule.kind === 'hours' || (plan.schedule.kind === 'cron' && startsInDay(plan.schedule).length > 1);
  // The end of the day is its last second, as Secrets Manager shows NextRotationDate (…T23:59:59).
  return hourly ? start + HOUR_MS : dayOf(start) + DAY_MS - 1000;
}

/**
 * The next window of `plan` after a rotation (or the enabling of rotation) at `lastMs`: for a
 * schedule in days, the day `days` after; otherwise the first window that starts after `lastMs`.
 * Undefined when a cron expression names no later time.
 */
export function nextWindow(plan: RotationPlan, lastMs: number): RotationWindow | undefined {
  const { schedule } = plan;
  let start: number | undefined;
  if (schedule.kind === 'days') {
    start = dayOf(lastMs) + schedule.days * DAY_MS;
  } else if (schedule.kind === 'hours') {
    const day = dayOf(lastMs);
    const next = startsInDay(schedule).find((s) => day + s > lastMs);
    start = next === undefined ? day + DAY_MS : day + next;
  } else {
    start = nextCronTime(schedule.fields, Math.floor(lastMs / 60_000) * 60_000 + 60_000);
  }
  return start === undefined ? undefined : { start, end: windowEnd(plan, start) };
}
