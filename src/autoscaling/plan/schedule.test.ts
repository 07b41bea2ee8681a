import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTime, nextRun, parseSchedule, ScheduleError, type Schedule } from './schedule.js';

const utc = (s: string): number => Date.parse(s);
const T0 = utc('2026-01-01T00:00:00Z');
const instant = fc.integer({ min: T0, max: T0 + 2 * 365 * 86_400_000 });

/** An independent oracle: walks minute by minute and tests the fields on the zone's wall clock. */
function bruteForce(minutes: number[], hours: number[], zone: string, after: number, limitMinutes: number): number | undefined {
  let t = Math.floor(after / 60_000) * 60_000 + 60_000;
  for (let i = 0; i < limitMinutes; i++, t += 60_000) {
    const l = localTime(t, zone);
    if (minutes.includes(l.minute) && hours.includes(l.hour) && l.second === 0) return t;
  }
  return undefined;
}

describe('parsing', () => {
  it('reads at, rate and cron, and refuses what AWS refuses', () => {
    expect(parseSchedule('at(2026-05-01T10:30:00)')).toEqual({ kind: 'at', local: { year: 2026, month: 5, day: 1, hour: 10, minute: 30, second: 0 } });
    expect(parseSchedule('rate(5 minutes)')).toEqual({ kind: 'rate', everyMs: 300_000 });
    expect(parseSchedule('rate(1 hour)')).toEqual({ kind: 'rate', everyMs: 3_600_000 });
    expect(parseSchedule('cron(0 9 ? * MON-FRI *)').kind).toBe('cron');
    for (const bad of ['rate(1 hours)', 'rate(5 minute)', 'rate(0 minutes)', 'rate(2 weeks)', 'at(2026-02-30T00:00:00)', 'cron(0 9 * * *)', 'cron(0 9 * * * *)', 'cron(0 9 L * ? *)', 'cron(61 9 * * ? *)', 'every day']) {
      expect(() => parseSchedule(bad), bad).toThrow(ScheduleError);
    }
  });
});

describe('next run', () => {
  it('runs a rate every period from its start, the first one period after creation without StartTime', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 48 * 60 }), fc.integer({ min: 0, max: 10 * 86_400_000 }), (created, everyMinutes, later) => {
        const schedule: Schedule = { kind: 'rate', everyMs: everyMinutes * 60_000 };
        const after = created + later;
        const next = nextRun(schedule, { timezone: 'UTC', createdAt: created }, after)!;
        expect(next).toBeGreaterThan(after);
        expect(next - after).toBeLessThanOrEqual(schedule.everyMs);
        expect((next - created) % schedule.everyMs).toBe(0);
        expect(next).toBeGreaterThan(created);
      }),
    );
  });

  it('finds the first matching minute of a cron, in UTC and in zones with daylight saving time', () => {
    const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        instant,
        fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...zones),
        (after, minutes, hours, zone) => {
          const schedule = parseSchedule(`cron(${minutes.join(',')} ${hours.join(',')} * * ? *)`);
          const expected = bruteForce(minutes, hours, zone, after, 3 * 1440);
          expect(nextRun(schedule, { timezone: zone, createdAt: 0 }, after)).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('follows the zone across daylight saving changes and skips a wall time the zone skips', () => {
    const nineNY = parseSchedule('cron(0 9 * * ? *)');
    expect(nextRun(nineNY, { timezone: 'America/New_York', createdAt: 0 }, utc('2026-03-07T00:00:00Z'))).toBe(utc('2026-03-07T14:00:00Z'));
    expect(nextRun(nineNY, { timezone: 'America/New_York', createdAt: 0 }, utc('2026-03-08T15:00:00Z'))).toBe(utc('2026-03-09T13:00:00Z'));
    const twoThirty = parseSchedule('cron(30 2 * * ? *)');
    expect(nextRun(twoThirty, { timezone: 'America/New_York', createdAt: 0 }, utc('2026-03-08T00:00:00Z'))).toBe(utc('2026-03-09T06:30:00Z'));
  });

  it('reads days of week as AWS numbers them, and month and year fields', () => {
    const weekdays = parseSchedule('cron(0 8 ? * MON-FRI *)');
    // 2026-01-03 is a Saturday: the next weekday is Monday the 5th.
    expect(nextRun(weekdays, { timezone: 'UTC', createdAt: 0 }, utc('2026-01-03T00:00:00Z'))).toBe(utc('2026-01-05T08:00:00Z'));
    const sundays = parseSchedule('cron(0 8 ? * 1 *)');
    expect(nextRun(sundays, { timezone: 'UTC', createdAt: 0 }, utc('2026-01-01T00:00:00Z'))).toBe(utc('2026-01-04T08:00:00Z'));
    const once = parseSchedule('cron(15 10 1 JUN ? 2027)');
    expect(nextRun(once, { timezone: 'UTC', createdAt: 0 }, utc('2026-01-01T00:00:00Z'))).toBe(utc('2027-06-01T10:15:00Z'));
    expect(nextRun(once, { timezone: 'UTC', createdAt: 0 }, utc('2027-06-01T10:15:00Z'))).toBeUndefined();
  });

  it('runs an at() once, at its wall time in the zone', () => {
    const at = parseSchedule('at(2026-07-01T12:00:00)');
    expect(nextRun(at, { timezone: 'Europe/Berlin', createdAt: 0 }, utc('2026-06-01T00:00:00Z'))).toBe(utc('2026-07-01T10:00:00Z'));
    expect(nextRun(at, { timezone: 'UTC', createdAt: 0 }, utc('2026-07-01T12:00:00Z'))).toBeUndefined();
  });

  it('keeps runs within StartTime and EndTime', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 5 * 86_400_000 }), fc.integer({ min: 60_000, max: 5 * 86_400_000 }), (after, startIn, length) => {
        const window = { timezone: 'UTC', createdAt: 0, startTime: after + startIn, endTime: after + startIn + length };
        const next = nextRun(parseSchedule('cron(0/10 * * * ? *)'), window, after);
        if (next !== undefined) {
          expect(next).toBeGreaterThanOrEqual(window.startTime);
          expect(next).toBeLessThanOrEqual(window.endTime);
        } else {
          expect(length).toBeLessThan(10 * 60_000);
        }
      }),
    );
  });
});
