import { describe, expect, it } from 'vitest';
import { duration, formatLocal, formatUtc, fromEpochSeconds, relative } from './time.js';

describe('times', () => {
  const instant = new Date('2026-12-06T21:35:43.250Z');

  it('shows a time in the given zone and its UTC form for the hover', () => {
    expect(formatLocal(instant, 'Asia/Tokyo')).toBe('2026-12-07 06:35:43');
    expect(formatLocal(instant, 'America/New_York')).toBe('2026-12-06 16:35:43');
    expect(formatLocal(instant, 'UTC')).toBe('2026-12-06 21:35:43');
    expect(formatUtc(instant)).toBe('2026-12-06T21:35:43Z');
  });

  it('reads the wire epoch seconds, fractions included', () => {
    expect(fromEpochSeconds(1_765_056_943.25)?.toISOString()).toBe('2025-12-06T21:35:43.250Z');
    expect(fromEpochSeconds(undefined)).toBeUndefined();
  });

  it('says how long ago, and how long', () => {
    expect(relative(new Date(instant.getTime() - 5_000), instant)).toBe('5s ago');
    expect(relative(new Date(instant.getTime() - 3 * 3_600_000), instant)).toBe('3h ago');
    expect(relative(new Date(instant.getTime() + 120_000), instant)).toBe('in 2m');
    expect(duration(3_723_000)).toBe('1h 2m');
    expect(duration(59_400)).toBe('59s');
    expect(duration(-5)).toBe('0s');
  });
});
