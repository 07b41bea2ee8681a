import { describe, expect, it } from 'vitest';
import { parseLifecyclePolicy } from './policy.js';

const rule = (rulePriority: number, selection: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ rulePriority, selection, action: { type: 'expire' }, ...extra });
const text = (...rules: unknown[]) => JSON.stringify({ rules });
const failure = (t: string) => {
  try {
    parseLifecyclePolicy(t);
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
};

describe('parseLifecyclePolicy', () => {
  it('accepts AWS\'s documented examples', () => {
    const policy = parseLifecyclePolicy(
      text(
        rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, { description: 'old untagged' }),
        rule(2, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 10 }),
        rule(3, { tagStatus: 'tagged', tagPatternList: ['*test*1*2*3', 'test*1*2*3*'], countType: 'imageCountMoreThan', countNumber: 1 }),
        rule(4, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }),
      ),
    );
    expect(policy.rules.map((r) => r.rulePriority)).toEqual([1, 2, 3, 4]);
  });

  it('refuses what AWS refuses, with its wording', () => {
    const prefix = "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ";
    const cases: Array<[string, string]> = [
      ['nope', 'Could not map policyString into LifecyclePolicy.'],
      [JSON.stringify({}), 'object has missing required properties (["rules"])'],
      [text({ rulePriority: 1, selection: {} }), 'object has missing required properties (["action"])'],
      [text(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }, { extra: 1 })), 'not allowed by the schema: (["extra"])'],
      [text(rule(1, { tagStatus: 'old', countType: 'imageCountMoreThan', countNumber: 1 })), 'instance value (old) not found in enum'],
      [text(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 0 })), 'numeric instance is lower than the required minimum (minimum: 1, found: 0)'],
      [text(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countUnit: 'days', countNumber: 1 })), 'countUnit must not be specified'],
      [text(rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'hours', countNumber: 1 })), 'instance value (hours) not found in enum'],
      [text(rule(1, { tagStatus: 'untagged', tagPrefixList: ['a'], countType: 'imageCountMoreThan', countNumber: 1 })), 'only be specified when tagStatus=TAGGED'],
      [text(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }), rule(1, { tagStatus: 'tagged', tagPrefixList: ['a'], countType: 'imageCountMoreThan', countNumber: 1 })), 'Rule priorities must be unique'],
      [text(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }), rule(2, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 2 })), 'Only one rule can select Untagged images.'],
      [text(rule(1, { tagStatus: 'tagged', tagPrefixList: ['a'], countType: 'imageCountMoreThan', countNumber: 1 }), rule(2, { tagStatus: 'tagged', tagPrefixList: ['a'], countType: 'imageCountMoreThan', countNumber: 2 })), 'unique set of tag prefixes'],
      [text(rule(1, { tagStatus: 'tagged', tagPrefixList: ['a'], tagPatternList: ['b'], countType: 'imageCountMoreThan', countNumber: 1 })), 'cannot both be specified'],
      [text(), 'must have at least 1 elements'],
    ];
    for (const [t, message] of cases) {
      const got = failure(t);
      expect(got.startsWith(prefix), got).toBe(true);
      expect(got).toContain(message);
    }
  });
});
