/**
 * Scheduled actions' schedules, pure: `at(yyyy-mm-ddThh:mm:ss)`, `rate(n unit)` and
 * `cron(minutes hours day-of-month month day-of-week year)` — EventBridge's six-field form, as
 * Application Auto Scaling takes it — in an IANA time zone (Intl does the zone arithmetic).
 * `nextRun` is the only clock the scheduler trusts: it says when an action is next due after a
 * given instant, so a run that fell due while the platform was down is seen once, not replayed.
 */

import { cronField } from '../../lib/cron-field.js';

/** A parsed schedule. */
export type Schedule =
  | { kind: 'at'; local: LocalTime }
  | { kind: 'rate'; everyMs: number }
  | { kind: 'cron'; fields: CronFields };

/** A wall-clock time in the schedule's zone. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The allowed values of each cron field (day of week: 1 = Sunday … 7 = Saturday, as AWS counts). */
export interface CronFields {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number> | 'any';
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number> | 'any';
  years: ReadonlySet<number> | 'any';
}

/** Why a schedule was refused; the caller turns it into the API's ValidationException. */
export class ScheduleError extends Error {}

const RATE_UNITS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Parses a schedule expression; throws ScheduleError with the reason. */
export function parseSchedule(expression: string): Schedule {
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
      throw new ScheduleError(`Invalid date in schedule expression: ${expression}`);
    }
    return { kind: 'at', local: { year, month, day, hour, minute, second } };
  }
  const rate = /^rate\((\d+) ([a-z]+)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = RATE_UNITS[rate[2]!];
    // AWS wants the singular unit for 1 and the plural otherwise: rate(1 hour), rate(5 minutes).
    if (unit === undefined || n < 1 || (n === 1) === rate[2]!.endsWith('s')) {
      throw new ScheduleError(`Invalid rate expression: ${expression}`);
    }
    return { kind: 'rate', everyMs: n * unit };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return { kind: 'cron', fields: parseCron(cron[1]!) };
  throw new ScheduleError(`Unsupported schedule expression: ${expression}. Use at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields).`);
}

function parseCron(body: string): CronFields {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw new ScheduleError('A cron expression has 6 fields: minutes hours day-of-month month day-of-week year.');
  const [min, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new ScheduleError('Exactly one of day-of-month and day-of-week must be ?.');
  return {
    minutes: field(min, 0, 59),
    hours: field(hour, 0, 23),
    daysOfMonth: dom === '?' ? 'any' : field(dom, 1, 31),
    months: field(month, 1, 12, MONTHS),
    daysOfWeek: dow === '?' ? 'any' : field(dow, 1, 7, DAYS),
    years: year === '*' ? 'any' : field(year, 1970, 2199),
  };
}

function field(text: string, lo: number, hi: number, names: readonly string[] = []): Set<number> {
  return cronField(text, lo, hi, names, (message) => new ScheduleError(message), ' (L, W and # are not supported)');
}

/** Checks an IANA zone name (Intl knows it). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of `ms` in `zone`. */
export function localTime(ms: number, zone: string): LocalTime {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! };
}

const asUtc = (t: LocalTime): number => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);

/**
 * The instant a wall-clock time names in `zone`, or undefined when the zone skips it (a DST gap).
 * An hour the zone repeats names its first occurrence.
 */
export function fromLocal(t: LocalTime, zone: string): number | undefined {
  const guess = asUtc(t);
  const offsetAt = (ms: number): number => asUtc(localTime(ms, zone)) - ms;
  const candidates = [guess - offsetAt(guess - 86_400_000), guess - offsetAt(guess), guess - offsetAt(guess + 86_400_000)].sort((a, b) => a - b);
  return candidates.find((ms) => asUtc(localTime(ms, zone)) === guess);
}

/** When, and how long, a scheduled action may run. */
export interface ScheduleWindow {
  timezone: string;
  /** Epoch ms; runs before it are skipped (and a rate counts from it). */
  startTime?: number;
  /** Epoch ms; no run after it. */
  endTime?: number;
  /** Epoch ms the action was created: a rate without StartTime counts from here. */
  createdAt: number;
}

const SEARCH_DAYS = 366 * 8;

/** The first time strictly after `afterMs` the schedule is due within its window, or undefined if never again. */
export function nextRun(schedule: Schedule, window: ScheduleWindow, afterMs: number): number | undefined {
  const from = Math.max(afterMs + 1, window.startTime ?? -Infinity);
  let due: number | undefined;
  if (schedule.kind === 'at') {
    const at = fromLocal(schedule.local, window.timezone);
    due = at !== undefined && at >= from ? at : undefined;
  } else if (schedule.kind === 'rate') {
    const origin = window.startTime ?? window.createdAt;
    const k = Math.max(0, Math.ceil((from - origin) / schedule.everyMs));
    due = origin + k * schedule.everyMs;
    if (due === origin && window.startTime === undefined) due += schedule.everyMs; // a rate first runs one period after creation
  } else {
    due = nextCron(schedule.fields, window.timezone, from);
  }
  return due !== undefined && (window.endTime === undefined || due <= window.endTime) ? due : undefined;
}

function nextCron(f: CronFields, zone: string, fromMs: number): number | undefined {
  const start = localTime(fromMs, zone);
  // Walk the calendar day by day in local time; each candidate minute is converted back to an instant.
  let day = Date.UTC(start.year, start.month - 1, start.day);
  for (let i = 0; i < SEARCH_DAYS; i++, day += 86_400_000) {
    const d = new Date(day);
    const [year, month, dom, dow] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCDay() + 1];
    if (f.years !== 'any' && !f.years.has(year)) continue;
    if (!f.months.has(month)) continue;
    if (f.daysOfMonth !== 'any' && !f.daysOfMonth.has(dom)) continue;
    if (f.daysOfWeek !== 'any' && !f.daysOfWeek.has(dow)) continue;
    for (const hour of [...f.hours].sort((a, b) => a - b)) {
      for (const minute of [...f.minutes].sort((a, b) => a - b)) {
        const ms = fromLocal({ year, month, day: dom, hour, minute, second: 0 }, zone);
        if (ms !== undefined && ms >= fromMs) return ms;
      }
    }
  }
  return undefined;
}
