import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronDayMatches, nextCronTime, parseCron } from './cron.js';
import { nextWindow, planOf, type RotationRules } from './schedule.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const dayOf = (ms: number) => Math.floor(ms / DAY) * DAY;
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const window = (rules: RotationRules, last: string) => {
  const w = nextWindow(planOf(rules), Date.parse(last));
  return w && { start: iso(w.start), end: iso(w.end) };
};
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) });

describe('rotation windows', () => {
  it('AutomaticallyAfterDays: the whole UTC day n days after the last rotation', () => {
    expect(window({ automaticallyAfterDays: 30 }, '2025-03-10T15:42:00Z')).toEqual({ start: '2025-04-09T00:00:00.000Z', end: '2025-04-09T23:59:59.000Z' });
    expect(window({ automaticallyAfterDays: 1, duration: '3h' }, '2025-03-10T23:59:59Z')).toEqual({ start: '2025-03-11T00:00:00.000Z', end: '2025-03-11T03:00:00.000Z' });
    expect(window({ scheduleExpression: 'rate(10 days)' }, '2025-03-10T01:00:00Z')?.start).toBe('2025-03-20T00:00:00.000Z');
  });

  it('rate(n hours): windows from midnight every n hours, an hour long by default', () => {
    expect(window({ scheduleExpression: 'rate(6 hours)' }, '2025-03-10T06:30:00Z')).toEqual({ start: '2025-03-10T12:00:00.000Z', end: '2025-03-10T13:00:00.000Z' });
    // The last window of a day is followed by the next day's midnight, not by 24 mod n.
    expect(window({ scheduleExpression: 'rate(5 hours)' }, '2025-03-10T20:00:00Z')?.start).toBe('2025-03-11T00:00:00.000Z');
    expect(window({ scheduleExpression: 'rate(4 hours)', duration: '2h' }, '2025-03-10T00:00:00Z')?.end).toBe('2025-03-10T06:00:00.000Z');
    // Whole days written in hours are a rate in days.
    expect(window({ scheduleExpression: 'rate(48 hours)' }, '2025-03-10T10:00:00Z')?.start).toBe('2025-03-12T00:00:00.000Z');
  });

  it('cron(): a window at each time named; to the end of the day for a daily time, one hour for several a day', () => {
    // The first and fifteenth of the month at 16:00.
    expect(window({ scheduleExpression: 'cron(0 16 1,15 * ? *)' }, '2025-03-10T00:00:00Z')).toEqual({ start: '2025-03-15T16:00:00.000Z', end: '2025-03-15T23:59:59.000Z' });
    // The first Monday of the month (2 = Monday).
    expect(window({ scheduleExpression: 'cron(0 8 ? * 2#1 *)' }, '2025-03-04T00:00:00Z')?.start).toBe('2025-04-07T08:00:00.000Z');
    // The last day of the month.
    expect(window({ scheduleExpression: 'cron(0 0 L * ? *)' }, '2024-02-01T00:00:00Z')?.start).toBe('2024-02-29T00:00:00.000Z');
    expect(window({ scheduleExpression: 'cron(0 */4 * * ? *)' }, '2025-03-10T09:00:00Z')).toEqual({ start: '2025-03-10T12:00:00.000Z', end: '2025-03-10T13:00:00.000Z' });
    expect(window({ scheduleExpression: 'cron(0 10 * * ? *)', duration: '2h' }, '2025-03-10T10:00:00Z')).toEqual({ start: '2025-03-11T10:00:00.000Z', end: '2025-03-11T12:00:00.000Z' });
    // A year that has passed names no window.
    expect(window({ scheduleExpression: 'cron(0 10 * * ? 2021)' }, '2025-03-10T10:00:00Z')).toBeUndefined();
  });

  it('a days schedule starts at the midnight n days after the day of the last rotation and ends that day', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 1000 }), fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }), (last, days, hours) => {
        const w = nextWindow(planOf({ automaticallyAfterDays: days, ...(hours && { duration: `${hours}h` }) }), last)!;
        expect(w.start).toBe(dayOf(last) + days * DAY);
        expect(w.end).toBeGreaterThan(w.start);
        expect(w.end).toBeLessThanOrEqual(w.start + DAY);
      }),
    );
  });

  it('an hours schedule gives the first window after the last rotation, aligned on midnight, never overlapping the next', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 4, max: 23 }), (last, n) => {
        // A Duration that fits both the interval and the day's last window.
        const hours = 1 + (last % Math.min(n, 24 - Math.floor(23 / n) * n));
        const plan = planOf({ scheduleExpression: `rate(${n} hours)`, duration: `${hours}h` });
        const w = nextWindow(plan, last)!;
        expect(w.start).toBeGreaterThan(last);
        expect((w.start - dayOf(w.start)) % (n * HOUR)).toBe(0);
        // No window start lies between the last rotation and this one.
        expect(w.start - last).toBeLessThanOrEqual(n * HOUR);
        const after = nextWindow(plan, w.start)!;
        expect(after.start).toBeGreaterThanOrEqual(w.end);
        expect(w.end).toBeLessThanOrEqual(dayOf(w.start) + DAY);
      }),
    );
  });

  it('a cron window starts at the first time the expression names after the last rotation', () => {
    const expressions = ['0 16 1,15 * ? *', '30 2 ? * MON-FRI *', '0 */6 * * ? *', '15 10 L * ? *', '0 8 ? * 6#3 *', '0 0 1 JAN,JUL ? *'];
    fc.assert(
      fc.property(instant, fc.constantFrom(...expressions), (last, body) => {
        const fields = parseCron(body);
        const w = nextWindow(planOf({ scheduleExpression: `cron(${body})` }), last)!;
        expect(w.start).toBeGreaterThan(last);
        expect(cronDayMatches(fields, dayOf(w.start))).toBe(true);
        expect(fields.hours).toContain(new Date(w.start).getUTCHours());
        expect(fields.minutes).toContain(new Date(w.start).getUTCMinutes());
        // Nothing the expression names lies in between (checked a day before the found day).
        const dayBefore = Math.max(last + 1, dayOf(w.start) - DAY);
        const earlier = nextCronTime(fields, Math.ceil(dayBefore / 60_000) * 60_000);
        expect(earlier).toBe(w.start);
      }),
      { numRuns: 200 },
    );
  });
});

describe('rotation rules refused', () => {
  const refused = (rules: RotationRules) => {
    try {
      planOf(rules);
    } catch (err) {
      return { kind: (err as { kind: string }).kind, subject: (err as { subject: string }).subject, message: (err as Error).message };
    }
    return undefined;
  };
  it.each<[RotationRules, RegExp]>([
    [{ automaticallyAfterDays: 30, scheduleExpression: 'rate(10 days)' }, /not both/],
    [{ automaticallyAfterDays: 0 }, /within 1-1000/],
    [{ automaticallyAfterDays: 1001 }, /within 1-1000/],
    [{}, /AutomaticallyAfterDays or ScheduleExpression/],
    [{ scheduleExpression: 'rate(3 hours)' }, /within 4-23 hours/],
    [{ scheduleExpression: 'rate(1001 days)' }, /within 1-1000/],
    [{ scheduleExpression: 'rate(5 minutes)' }, /use rate\(n days\)/],
    [{ scheduleExpression: 'cron(0 10 * * * *)' }, /Exactly one of day-of-month and day-of-week/],
    [{ scheduleExpression: 'cron(0 25 * * ? *)' }, /Invalid cron field value: 25/],
    [{ scheduleExpression: 'cron(0 10 * *)' }, /6 fields/],
    [{ scheduleExpression: 'at(2025-01-01T00:00:00)' }, /use rate\(n days\)/],
    [{ automaticallyAfterDays: 5, duration: '25h' }, /between 1h and 24h/],
    [{ automaticallyAfterDays: 5, duration: '0h' }, /between 1h and 24h/],
    [{ scheduleExpression: 'rate(4 hours)', duration: '5h' }, /next UTC day or into the next rotation window/],
    [{ scheduleExpression: 'cron(0 22 * * ? *)', duration: '3h' }, /next UTC day/],
  ])('%j', (rules, message) => {
    const err = refused(rules);
    expect(err).toMatchObject({ kind: 'InvalidArgument', subject: 'parameter' });
    expect(err!.message).toMatch(message);
  });
});
