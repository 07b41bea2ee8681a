import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, withinBounds, type DecisionInput } from './decision.js';

const base: DecisionInput = {
  current: 4,
  proposed: 4,
  min: 1,
  max: 10,
  now: 1_000_000,
  dynamicInSuspended: false,
  dynamicOutSuspended: false,
  deploymentInProgress: false,
  othersAgreeToScaleIn: true,
};

describe('the scaling decision', () => {
  it('always lands within min and max, and moves in the direction proposed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (current, proposed, a, b) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        const d = decide({ ...base, current, proposed, min, max });
        if (d.scale) {
          expect(d.desired).toBeGreaterThanOrEqual(min);
          expect(d.desired).toBeLessThanOrEqual(max);
          expect(d.desired).not.toBe(current);
        }
      }),
    );
  });

  it('tells why nothing changes', () => {
    expect(decide({ ...base, current: 10, proposed: 12 })).toEqual({ scale: false, reason: 'AlreadyAtMaxCapacity' });
    expect(decide({ ...base, current: 1, proposed: 0 })).toEqual({ scale: false, reason: 'AlreadyAtMinCapacity' });
    expect(decide({ ...base, proposed: 6, dynamicOutSuspended: true })).toEqual({ scale: false, reason: 'DynamicScalingOutSuspended' });
    expect(decide({ ...base, proposed: 2, dynamicInSuspended: true })).toEqual({ scale: false, reason: 'DynamicScalingInSuspended' });
    expect(decide({ ...base, proposed: 2, deploymentInProgress: true })).toEqual({ scale: false, reason: 'DeploymentInProgress' });
    expect(decide({ ...base, proposed: 2, scaleInBlockedUntil: base.now + 1 })).toEqual({ scale: false, reason: 'CooldownInProgress' });
    expect(decide({ ...base, proposed: 2, othersAgreeToScaleIn: false })).toEqual({ scale: false, reason: 'OtherPoliciesDoNotScaleIn' });
  });

  it('scales out during a deployment and while others would not scale in', () => {
    expect(decide({ ...base, proposed: 7, deploymentInProgress: true, othersAgreeToScaleIn: false })).toEqual({ scale: true, desired: 7, direction: 'out' });
    expect(decide({ ...base, proposed: 2, scaleInBlockedUntil: base.now })).toEqual({ scale: true, desired: 2, direction: 'in' });
  });

  it('raises a count below a new minimum and lowers one above a new maximum', () => {
    expect(withinBounds(0, 1, 5)).toBe(1);
    expect(withinBounds(9, 1, 5)).toBe(5);
    expect(withinBounds(3, 1, 5)).toBeUndefined();
  });
});
