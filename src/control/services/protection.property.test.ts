import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as events from './events.js';
import { reconcile } from './reconcile.js';
import { newDeployment, supersede } from './rollout.js';
import { serviceFixture, taskFixture } from './service.fixtures.js';
import { DeploymentStatus, RolloutState, type ServiceRecord } from './service.js';
import { isLive, type TaskView } from './task-view.js';

const NOW = 1_000_000;
let ids = 100;
const run = (service: ServiceRecord, tasks: TaskView[], now = NOW) =>
  reconcile({ service, tasks, instances: [], now, newDeploymentId: () => `ecs-svc/${String(++ids).padStart(19, '0')}` });

/** A running, settled task of `deploymentId`; `protection` says until when it is protected (relative to NOW), if at all. */
const running = (deploymentId: string, protection: number | undefined) =>
  taskFixture(deploymentId, 'RUNNING', { startedAt: 0, ...(protection !== undefined && { protectedUntil: NOW + protection }) });

/** A protection: lapsed (≤ 0), or still on (> 0), relative to NOW; undefined for never protected. */
const protection = fc.option(fc.integer({ min: -3_600_000, max: 3_600_000 }).filter((x) => x !== 0), { nil: undefined });

describe('scale-in with protected tasks', () => {
  it('never stops a protected task, stops unprotected ones first, and says how many protected tasks it keeps', () => {
    fc.assert(
      fc.property(fc.array(protection, { minLength: 1, maxLength: 8 }), fc.nat(8), fc.constantFrom(0, 50, 100), (guards, d, min) => {
        const desired = Math.min(d, guards.length);
        const s = serviceFixture({ desired, min, max: 200 });
        const tasks = guards.map((g) => running(s.deployments[0]!.id, g));
        const r = run(s, tasks);
        const stopped = new Set(r.stop.map((x) => x.taskArn));
        const isGuarded = (t: TaskView) => t.protectedUntil !== undefined && t.protectedUntil > NOW;
        // No protected task is picked.
        expect(tasks.filter((t) => stopped.has(t.taskArn) && isGuarded(t))).toEqual([]);
        // As many as the scale-in needs go, as long as unprotected ones remain.
        const unprotected = tasks.filter((t) => !isGuarded(t)).length;
        const excess = tasks.length - desired;
        expect(stopped.size).toBe(Math.min(excess, unprotected));
        // Nothing new starts while protected tasks stay above the desired count.
        expect(r.start).toEqual([]);
        const held = excess - stopped.size;
        const said = r.messages.filter((m) => m.includes('tasks under protection'));
        expect(said).toEqual(held > 0 ? [events.tasksUnderProtection('web', held)] : []);
      }),
      { numRuns: 300 },
    );
  });

  it('stops a kept task once its protection lapses, and forgets the event', () => {
    const s = serviceFixture({ desired: 1 });
    const tasks = [running(s.deployments[0]!.id, 60_000), running(s.deployments[0]!.id, 60_000)];
    const first = run(s, tasks);
    expect(first.stop).toEqual([]);
    expect(first.messages).toContain(events.tasksUnderProtection('web', 1));
    // Announced once, not every tick.
    expect(run(first.service, tasks, NOW + 1000).messages).toEqual([]);
    const later = run(first.service, tasks, NOW + 60_000);
    expect(later.stop).toHaveLength(1);
    expect(Object.keys(later.service.scheduler.recent).filter((k) => k.includes('under protection'))).toEqual([]);
  });
});

describe('deployments with protected tasks', () => {
  it('keeps the old deployment’s protected tasks, starts the new ones, and completes only once protection lapses', () => {
    fc.assert(
      fc.property(fc.array(protection, { minLength: 1, maxLength: 5 }), (guards) => {
        let s = serviceFixture({ desired: guards.length, min: 100, max: 200 });
        const old = s.deployments[0]!.id;
        const tasks: TaskView[] = guards.map((g) => running(old, g));
        s.taskDefinition = 'td:2';
        s.deployments = supersede(s.deployments, newDeployment(s, 'ecs-svc/0000000000000000002', 0));
        const lastLapse = Math.max(0, ...guards.map((g) => g ?? 0));
        // Tick on, with started tasks running at once and stopped ones gone at once.
        for (let now = NOW; now <= NOW + lastLapse + 20_000; now += 5_000) {
          const r = run(s, tasks, now);
          for (const x of r.stop) {
            const t = tasks.find((y) => y.taskArn === x.taskArn)!;
            expect(t.protectedUntil === undefined || t.protectedUntil <= now).toBe(true);
            Object.assign(t, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'ServiceLoopInitiated' });
          }
          for (const a of r.start) for (let i = 0; i < a.count; i++) tasks.push(taskFixture(a.deploymentId, 'RUNNING', { startedAt: now }));
          s = r.service;
          const primary = s.deployments.find((d) => d.status === DeploymentStatus.Primary)!;
          const oldLeft = tasks.some((t) => isLive(t) && t.startedBy === old);
          if (oldLeft) expect(primary.rolloutState).toBe(RolloutState.InProgress);
        }
        const primary = s.deployments.find((d) => d.status === DeploymentStatus.Primary)!;
        expect(primary.rolloutState).toBe(RolloutState.Completed);
        expect(tasks.filter(isLive).every((t) => t.startedBy === primary.id)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
