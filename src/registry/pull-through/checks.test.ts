import { describe, expect, it } from 'vitest';
import { FAILED_CHECK_RETRY_MS, refreshDue } from './checks.js';

const DAY = 24 * 60 * 60 * 1000;

describe('when a cached tag is due for an upstream check', () => {
  it('is due when never checked, and again once the interval has passed', () => {
    expect(refreshDue(undefined, 0, DAY)).toBe(true);
    expect(refreshDue({ checkedAt: 1000 }, 1000 + DAY - 1, DAY)).toBe(false);
    expect(refreshDue({ checkedAt: 1000 }, 1000 + DAY, DAY)).toBe(true);
  });

  it('waits after a failed check: the retry delay, or the interval when that is shorter', () => {
    const failed = { checkedAt: 0, failedAt: 2 * DAY, failure: 'down' };
    expect(refreshDue(failed, 2 * DAY + FAILED_CHECK_RETRY_MS - 1, DAY)).toBe(false);
    expect(refreshDue(failed, 2 * DAY + FAILED_CHECK_RETRY_MS, DAY)).toBe(true);
    expect(refreshDue({ failedAt: 5000, failure: 'down' }, 5999, 1000)).toBe(false);
    expect(refreshDue({ failedAt: 5000, failure: 'down' }, 6000, 1000)).toBe(true);
  });
});
