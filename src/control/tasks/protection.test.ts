import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGet, checkUpdate, DEFAULT_PROTECTION_MINUTES, isProtectedAt, MAX_PROTECTION_MINUTES, protectionAfter, protectionFailure, protectionView } from './protection.js';
import type { TaskRecord } from './task.js';

const arn = 'arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef';

describe('task protection rules', () => {
  it('accepts 1..2880 minutes and refuses the rest, counts tasks 1..10', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 4000 }), (m) => {
        const ok = m >= 1 && m <= MAX_PROTECTION_MINUTES;
        if (ok) expect(() => checkUpdate([arn], true, m)).not.toThrow();
        else expect(() => checkUpdate([arn], true, m)).toThrow(/expiresInMinutes/);
      }),
    );
    expect(() => checkUpdate([arn], true, 1.5)).toThrow(/expiresInMinutes/);
    expect(() => checkUpdate([], true, undefined)).toThrow(/empty/);
    expect(() => checkUpdate(Array(11).fill(arn), true, undefined)).toThrow(/more than 10/);
    expect(() => checkUpdate(Array(10).fill(arn), false, undefined)).not.toThrow();
    expect(() => checkGet(Array(101).fill(arn))).toThrow(/more than 100/);
  });

  it('protects for 2 hours by default, for the minutes given otherwise, and lapses by the clock', () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 1, max: MAX_PROTECTION_MINUTES }), { nil: undefined }), fc.integer({ min: 0, max: 2 ** 40 }), (m, now) => {
        const p = protectionAfter(true, m, now)!;
        const span = (m ?? DEFAULT_PROTECTION_MINUTES) * 60_000;
        expect(p.expiresAt).toBe(now + span);
        expect(isProtectedAt(p, now + span - 1)).toBe(true);
        expect(isProtectedAt(p, now + span)).toBe(false);
        expect(protectionView({ taskArn: arn, protection: p }, now + span)).toEqual({ taskArn: arn, protectionEnabled: false });
        expect(protectionView({ taskArn: arn, protection: p }, now)).toEqual({ taskArn: arn, protectionEnabled: true, expirationDate: now + span });
      }),
    );
    expect(protectionAfter(false, 30, 0)).toBeUndefined();
  });

  it('only protects live tasks of a service', () => {
    const task = (group: string, lastStatus: TaskRecord['lastStatus']) => ({ taskArn: arn, group, lastStatus }) as TaskRecord;
    expect(protectionFailure(task('service:web', 'RUNNING'))).toBeUndefined();
    expect(protectionFailure(task('family:web', 'RUNNING'))).toMatchObject({ arn, reason: 'TASK_NOT_VALID' });
    expect(protectionFailure(task('service:web', 'STOPPED'))).toMatchObject({ arn, reason: 'TASK_NOT_VALID' });
  });
});
