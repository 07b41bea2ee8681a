/**
 * Secrets Manager's cron expressions, pure and in UTC (rotation schedules have no time zone):
 * `cron(minutes hours day-of-month month day-of-week year)`, EventBridge's six fields. Besides
 * `*`, `?`, lists, ranges and steps, day-of-month takes `L` (the month's last day) and day-of-week
 * `d#n` (the n-th such weekday of the month), which Secrets Manager's own examples use; `W` and
 * `L` in day-of-week are refused.
 */

import { cronField } from '../../../lib/cron-field.js';

/** The allowed values of each field (day of week: 1 = Sunday … 7 = Saturday, as AWS counts). */
export interface CronFields {
  minutes: readonly number[];
  hours: readonly number[];
  /** 'last' is `L`. */
  daysOfMonth: ReadonlySet<number | 'last'> | 'any';
  months: ReadonlySet<number>;
  /** Plain weekdays; the `d#n` items are in `nthWeekdays`. */
  daysOfWeek: ReadonlySet<number> | 'any';
  nthWeekdays: ReadonlyArray<{ weekday: number; nth: number }>;
  years: ReadonlySet<number> | 'any';
}

/** Why an expression was refused; the caller turns it into InvalidParameterException. */
export class CronError extends Error {}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const DAY_MS = 86_400_000;

/** Parses the inside of `cron(...)`. */
export function parseCron(body: string): CronFields {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw new CronError('A cron expression has 6 fields: minutes hours day-of-month month day-of-week year.');
  const [min, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new CronError('Exactly one of day-of-month and day-of-week must be ?.');
  const nthWeekdays: Array<{ weekday: number; nth: number }> = [];
  let daysOfWeek: Set<number> | 'any' = 'any';
  if (dow !== '?' && dow !== '*') {
    daysOfWeek = new Set();
    for (const item of dow.split(',')) {
      const nth = /^([A-Za-z0-9]+)#([1-5])$/.exec(item);
      if (nth) nthWeekdays.push({ weekday: [...field(nth[1]!, 1, 7, DAYS)][0]!, nth: Number(nth[2]) });
      else for (const d of field(item, 1, 7, DAYS)) daysOfWeek.add(d);
    }
  }
  let daysOfMonth: Set<number | 'last'> | 'any' = 'any';
  if (dom !== '?' && dom !== '*') {
    daysOfMonth = new Set();
    for (const item of dom.split(',')) {
      if (item === 'L') daysOfMonth.add('last');
      else for (const d of field(item, 1, 31)) daysOfMonth.add(d);
    }
  }
  return {
    minutes: [...field(min, 0, 59)].sort((a, b) => a - b),
    hours: [...field(hour, 0, 23)].sort((a, b) => a - b),
    daysOfMonth,
    months: field(month, 1, 12, MONTHS),
    daysOfWeek,
    nthWeekdays,
    years: year === '*' ? 'any' : field(year, 1970, 2199),
  };
}

function field(text: string, lo: number, hi: number, names: readonly string[] = []): Set<number> {
  return cronField(text, lo, hi, names, (message) => new CronError(message));
}

/** Whether the UTC day starting at `dayMs` is one the expression names. */
export function cronDayMatches(f: CronFields, dayMs: number): boolean {
  const d = new Date(dayMs);
  const [year, month, dom, dow] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCDay() + 1];
  if (f.years !== 'any' && !f.years.has(year)) return false;
  if (!f.months.has(month)) return false;
  if (f.daysOfMonth !== 'any') {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (!f.daysOfMonth.has(dom) && !(f.daysOfMonth.has('last') && dom === last)) return false;
  }
  if (f.daysOfWeek !== 'any' || f.nthWeekdays.length > 0) {
    const plain = f.daysOfWeek !== 'any' && f.daysOfWeek.has(dow);
    const nth = f.nthWeekdays.some((n) => n.weekday === dow && Math.ceil(dom / 7) === n.nth);
    if (!plain && !nth) return false;
  }
  return true;
}

/** Days searched ahead before an expression is taken to name no future instant (8 years, as EventBridge's year field allows). */
const SEARCH_DAYS = 366 * 8;

/** The first instant at or after `fromMs` (whole minutes) the expression names, or undefined if none. */
export function nextCronTime(f: CronFields, fromMs: number): number | undefined {
  let day = Math.floor(fromMs / DAY_MS) * DAY_MS;
  for (let i = 0; i < SEARCH_DAYS; i++, day += DAY_MS) {
    if (!cronDayMatches(f, day)) continue;
    for (const hour of f.hours) {
      for (const minute of f.minutes) {
        const ms = day + hour * 3_600_000 + minute * 60_000;
        if (ms >= fromMs) return ms;
      }
    }
  }
  return undefined;
}
