import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateLifecyclePolicy, selects, type LifecycleImage } from './evaluate.js';
import type { LifecyclePolicy, LifecycleRule, LifecycleSelection } from './policy.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const rule = (rulePriority: number, selection: LifecycleSelection): LifecycleRule => ({ rulePriority, selection, action: { type: 'expire' } });

/** Images with distinct digests, a few tags from a small alphabet (so rules match), pushed within 60 days. */
const images = fc
  .uniqueArray(
    fc.record({
      digest: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 8 }).map((h) => `sha256:${h.padEnd(64, '0')}`),
      tags: fc.uniqueArray(fc.constantFrom('prod-1', 'prod-2', 'dev-1', 'dev-2', 'latest', 'rc'), { maxLength: 3 }),
      pushedAt: fc.integer({ min: NOW - 60 * DAY, max: NOW }),
    }),
    { selector: (i) => i.digest, maxLength: 25 },
  )
  .map((list) => list as LifecycleImage[]);

const selection = fc.oneof(
  fc.record({ tagStatus: fc.constant('tagged' as const), tagPrefixList: fc.constantFrom(['prod'], ['dev'], ['prod', 'dev'], ['l']) }),
  fc.record({ tagStatus: fc.constant('tagged' as const), tagPatternList: fc.constantFrom(['*-1'], ['prod-*'], ['*'], ['r?'], ['*a*t*']) }),
  fc.record({ tagStatus: fc.constant('untagged' as const) }),
);
const counting = fc.oneof(
  fc.record({ countType: fc.constant('imageCountMoreThan' as const), countNumber: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ countType: fc.constant('sinceImagePushed' as const), countUnit: fc.constant('days' as const), countNumber: fc.integer({ min: 1, max: 60 }) }),
);

/** Policies of 1–4 rules with distinct priorities, at most one untagged rule, maybe a final `any` rule. */
const policies = fc
  .tuple(fc.array(fc.tuple(selection, counting), { minLength: 0, maxLength: 3 }), fc.option(counting), fc.shuffledSubarray([1, 2, 3, 5, 8, 13], { minLength: 4, maxLength: 4 }))
  .map(([body, last, priorities]): LifecyclePolicy => {
    const sorted = [...priorities].sort((a, b) => a - b);
    let untagged = false;
    const rules = body
      .filter(([s]) => (s.tagStatus === 'untagged' ? !untagged && (untagged = true) : true))
      .map(([s, c], i) => rule(sorted[i]!, { ...s, ...c } as LifecycleSelection));
    if (last) rules.push(rule(100, { tagStatus: 'any', ...last } as LifecycleSelection));
    return { rules: rules.length ? rules : [rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 })] };
  });

describe('evaluateLifecyclePolicy', () => {
  it('expires each image at most once, only images it was given, oldest first', () => {
    fc.assert(
      fc.property(policies, images, (policy, imgs) => {
        const expired = evaluateLifecyclePolicy(policy, imgs, NOW);
        const digests = expired.map((e) => e.digest);
        expect(new Set(digests).size).toBe(digests.length);
        const byDigest = new Map(imgs.map((i) => [i.digest, i]));
        for (const d of digests) expect(byDigest.has(d)).toBe(true);
        const pushed = digests.map((d) => byDigest.get(d)!.pushedAt);
        expect(pushed).toEqual([...pushed].sort((a, b) => a - b));
      }),
    );
  });

  it('never lets a lower-priority rule expire an image a higher-priority rule selected', () => {
    fc.assert(
      fc.property(policies, images, (policy, imgs) => {
        for (const { digest, rulePriority } of evaluateLifecyclePolicy(policy, imgs, NOW)) {
          const image = imgs.find((i) => i.digest === digest)!;
          const rule = policy.rules.find((r) => r.rulePriority === rulePriority)!;
          expect(selects(rule.selection, image)).toBe(true);
          for (const earlier of policy.rules.filter((r) => r.rulePriority < rulePriority)) expect(selects(earlier.selection, image)).toBe(false);
        }
      }),
    );
  });

  it('keeps exactly the n most recently pushed images under a lone imageCountMoreThan n rule', () => {
    fc.assert(
      fc.property(images, fc.integer({ min: 1, max: 30 }), (imgs, n) => {
        const policy = { rules: [rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: n })] };
        const expired = new Set(evaluateLifecyclePolicy(policy, imgs, NOW).map((e) => e.digest));
        expect(expired.size).toBe(Math.max(0, imgs.length - n));
        const kept = imgs.filter((i) => !expired.has(i.digest));
        for (const gone of imgs.filter((i) => expired.has(i.digest))) {
          for (const k of kept) expect(gone.pushedAt <= k.pushedAt).toBe(true);
        }
      }),
    );
  });

  it('expires exactly the images older than n days under a lone sinceImagePushed rule, and more as time passes', () => {
    fc.assert(
      fc.property(images, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 30 * DAY }), (imgs, n, later) => {
        const policy = { rules: [rule(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: n })] };
        const now = new Set(evaluateLifecyclePolicy(policy, imgs, NOW).map((e) => e.digest));
        expect([...now].sort()).toEqual(imgs.filter((i) => NOW - i.pushedAt > n * DAY).map((i) => i.digest).sort());
        const after = new Set(evaluateLifecyclePolicy(policy, imgs, NOW + later).map((e) => e.digest));
        for (const d of now) expect(after.has(d)).toBe(true);
      }),
    );
  });

  it('never expires tagged images with an untagged rule, nor untagged ones with a tagged rule', () => {
    fc.assert(
      fc.property(images, fc.integer({ min: 1, max: 5 }), (imgs, n) => {
        const untagged = { rules: [rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: n })] };
        for (const e of evaluateLifecyclePolicy(untagged, imgs, NOW)) expect(imgs.find((i) => i.digest === e.digest)!.tags).toEqual([]);
        const tagged = { rules: [rule(1, { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: n })] };
        for (const e of evaluateLifecyclePolicy(tagged, imgs, NOW)) expect(imgs.find((i) => i.digest === e.digest)!.tags.length).toBeGreaterThan(0);
      }),
    );
  });

  it('does not depend on the order the images come in', () => {
    fc.assert(
      fc.property(policies, images.chain((imgs) => fc.tuple(fc.constant(imgs), fc.shuffledSubarray(imgs, { minLength: imgs.length, maxLength: imgs.length }))), (policy, [imgs, shuffled]) => {
        expect(evaluateLifecyclePolicy(policy, shuffled, NOW)).toEqual(evaluateLifecyclePolicy(policy, imgs, NOW));
      }),
    );
  });

  it('matches a worked example: a keep-forever rule shields prod images from the any rule', () => {
    const imgs: LifecycleImage[] = [
      { digest: 'sha256:1', tags: ['prod-1'], pushedAt: NOW - 90 * DAY },
      { digest: 'sha256:2', tags: ['dev-1'], pushedAt: NOW - 80 * DAY },
      { digest: 'sha256:3', tags: [], pushedAt: NOW - 70 * DAY },
      { digest: 'sha256:4', tags: ['dev-2'], pushedAt: NOW - 1 * DAY },
    ];
    const policy = {
      rules: [
        rule(10, { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 9999 }),
        rule(20, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }),
      ],
    };
    expect(evaluateLifecyclePolicy(policy, imgs, NOW)).toEqual([
      { digest: 'sha256:2', rulePriority: 20 },
      { digest: 'sha256:3', rulePriority: 20 },
    ]);
  });
});
