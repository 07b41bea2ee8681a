import { describe, expect, it } from 'vitest';
import { DomainError } from '../lib/errors.js';
import { checkPlacement } from './placement-rules.js';
import { instance } from './testing.js';
import type { PlacementConstraintInput, PlacementStrategyInput } from './types.js';

function refusal(constraints: PlacementConstraintInput[], strategy: PlacementStrategyInput[]): string {
  try {
    checkPlacement(constraints, strategy);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).subject).toBe('parameter');
    return (err as DomainError).message;
  }
  throw new Error('accepted');
}

describe('checkPlacement', () => {
  it('normalizes the strategy fields ECS accepts', () => {
    const rules = checkPlacement(
      [{ type: 'distinctInstance' }, { type: 'memberOf', expression: 'attribute:ecs.os-type == linux' }],
      [
        { type: 'spread', field: 'attribute:ecs.availability-zone' },
        { type: 'spread', field: 'host' },
        { type: 'spread', field: 'instanceId' },
        { type: 'binpack', field: 'MEMORY' },
        { type: 'random' },
      ],
    );
    expect(rules.distinctInstance).toBe(true);
    expect(rules.strategy).toEqual([
      { type: 'spread', by: 'attribute', attribute: 'ecs.availability-zone' },
      { type: 'spread', by: 'instance' },
      { type: 'spread', by: 'instance' },
      { type: 'binpack', resource: 'memory' },
      { type: 'random' },
    ]);
    expect(rules.memberOf.map((f) => f(instance('a')))).toEqual([true]);
    expect(checkPlacement([], [{ type: 'binpack', field: 'cpu' }]).strategy).toEqual([{ type: 'binpack', resource: 'cpu' }]);
  });

  it('refuses what ECS refuses, with its messages where known', () => {
    expect(refusal([{ type: 'distinctInstance', expression: '' }], [])).toBe('distinctInstance expression should not be specified.');
    expect(refusal([{ type: 'memberOf' }], [])).toMatch(/memberOf expression must be specified/);
    expect(refusal([{ type: 'memberOf', expression: 'attribute:a === b' }], [])).toMatch(/Unable to parse/);
    expect(refusal([], [{ type: 'binpack', field: 'disk' }])).toMatch(/binpack/);
    expect(refusal([], [{ type: 'binpack' }])).toMatch(/binpack/);
    expect(refusal([], [{ type: 'spread' }])).toMatch(/spread/);
    expect(refusal([], [{ type: 'spread', field: 'zone' }])).toMatch(/spread/);
    expect(refusal([], [{ type: 'spread', field: 'attribute:' }])).toMatch(/spread/);
    expect(refusal([], [{ type: 'pack' as 'binpack' }])).toMatch(/strategy type/);
    expect(refusal([{ type: 'oneOf' as 'memberOf' }], [])).toMatch(/constraint type/);
    const eleven = Array.from({ length: 11 }, () => ({ type: 'memberOf' as const, expression: 'runningTasksCount < 5' }));
    expect(refusal(eleven, [])).toMatch(/maximum of 10/);
    expect(() => checkPlacement(eleven.slice(1), [])).not.toThrow();
    const six = Array.from({ length: 6 }, () => ({ type: 'random' as const }));
    expect(refusal([], six)).toMatch(/maximum of 5/);
    expect(() => checkPlacement([], six.slice(1))).not.toThrow();
  });
});
