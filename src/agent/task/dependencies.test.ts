import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planStarts, stopOrder, taskHealth, type ContainerProgress } from './dependencies.js';

const p = (status: ContainerProgress['status'], extra: Partial<ContainerProgress> = {}): ContainerProgress => ({ status, ...extra });

describe('planStarts', () => {
  const defs: ContainerDefinition[] = [
    { name: 'app', dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }, { containerName: 'migrate', condition: 'SUCCESS' }] },
    { name: 'db' },
    { name: 'migrate', dependsOn: [{ containerName: 'db', condition: 'START' }] },
    { name: 'log', dependsOn: [{ containerName: 'app', condition: 'COMPLETE' }] },
  ];

  it('starts containers without dependencies first, then follows each condition', () => {
    const all = (m: Record<string, ContainerProgress>) => new Map(Object.entries(m));
    expect(planStarts(defs, all({ app: p('PENDING'), db: p('PENDING'), migrate: p('PENDING'), log: p('PENDING') })).ready).toEqual(['db']);
    expect(planStarts(defs, all({ app: p('PENDING'), db: p('STARTING'), migrate: p('PENDING'), log: p('PENDING') })).ready).toEqual([]);
    expect(planStarts(defs, all({ app: p('PENDING'), db: p('RUNNING'), migrate: p('PENDING'), log: p('PENDING') })).ready).toEqual(['migrate']);
    const migrated = all({ app: p('PENDING'), db: p('RUNNING', { health: 'UNKNOWN' }), migrate: p('STOPPED', { exitCode: 0 }), log: p('PENDING') });
    expect(planStarts(defs, migrated).ready).toEqual([]);
    migrated.set('db', p('RUNNING', { health: 'HEALTHY' }));
    expect(planStarts(defs, migrated).ready).toEqual(['app']);
  });

  it('blocks a container whose dependency can never be met', () => {
    const failed = new Map(Object.entries({ app: p('PENDING'), db: p('RUNNING', { health: 'HEALTHY' }), migrate: p('STOPPED', { exitCode: 1 }), log: p('PENDING') }));
    expect(planStarts(defs, failed).blocked).toEqual([{ name: 'app', reason: expect.stringContaining('migrate did not reach condition SUCCESS') }]);
    const unhealthy = new Map(Object.entries({ app: p('PENDING'), db: p('RUNNING', { health: 'UNHEALTHY' }), migrate: p('RUNNING'), log: p('PENDING') }));
    expect(planStarts(defs, unhealthy).blocked.map((b) => b.name)).toEqual(['app']);
  });
});

describe('stopOrder', () => {
  it('stops dependents before what they depend on', () => {
    const defs: ContainerDefinition[] = [{ name: 'app', dependsOn: [{ containerName: 'proxy', condition: 'START' }] }, { name: 'proxy', dependsOn: [{ containerName: 'log', condition: 'START' }] }, { name: 'log' }, { name: 'other' }];
    expect(stopOrder(defs)).toEqual([['app', 'other'], ['proxy'], ['log']]);
  });

  it('stops every container exactly once for any acyclic dependency graph', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(9), { maxLength: 3 }), { minLength: 1, maxLength: 10 }), (deps) => {
        // Edges only to lower indexes keep the graph acyclic, as registration guarantees.
        const defs = deps.map((d, i) => ({ name: `c${i}`, dependsOn: d.filter((j) => j < i).map((j) => ({ containerName: `c${j}`, condition: 'START' as const })) }));
        const waves = stopOrder(defs);
        const flat = waves.flat();
        expect(new Set(flat).size).toBe(defs.length);
        const wave = new Map(waves.flatMap((w, i) => w.map((n) => [n, i] as const)));
        for (const d of defs) for (const dep of d.dependsOn) expect(wave.get(d.name)!).toBeLessThan(wave.get(dep.containerName)!);
      }),
    );
  });
});

describe('taskHealth', () => {
  const defs: ContainerDefinition[] = [
    { name: 'a', healthCheck: { command: ['CMD', 'true'] } },
    { name: 'b', healthCheck: { command: ['CMD', 'true'] }, essential: false },
    { name: 'c' },
  ];
  it('follows the essential containers that have health checks', () => {
    expect(taskHealth(defs, new Map([['a', 'HEALTHY'], ['b', 'UNHEALTHY']]))).toBe('HEALTHY');
    expect(taskHealth(defs, new Map([['a', 'UNHEALTHY']]))).toBe('UNHEALTHY');
    expect(taskHealth(defs, new Map())).toBe('UNKNOWN');
    expect(taskHealth([{ name: 'c' }], new Map())).toBe('UNKNOWN');
  });
});
