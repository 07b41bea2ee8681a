import { describe, expect, it } from 'vitest';
import { reconcile, type ReconcileResult } from './reconcile.js';
import { newDeployment, supersede } from './rollout.js';
import { serviceFixture, taskFixture } from './service.fixtures.js';
import { RolloutState, type ServiceRecord } from './service.js';
import type { TaskView } from './task-view.js';
import { START_WINDOW_MS, type ThrottleOptions } from './throttle.js';

const OPTIONS: ThrottleOptions = { baseDelayMs: 10_000, maxDelayMs: 60_000 };
const UNABLE = '(service web) is unable to consistently start tasks successfully.';
let ids = 0;
const run = (service: ServiceRecord, tasks: TaskView[], now: number): ReconcileResult =>
  reconcile({ service, tasks, instances: [], now, newDeploymentId: () => `ecs-svc/${String(++ids).padStart(19, '8')}`, throttle: OPTIONS });

/** A task of `deployment` created at `createdAt` that stopped before it ran (an image that cannot be pulled). */
const failed = (deployment: string, createdAt: number): TaskView => taskFixture(deployment, 'STOPPED', { stopCode: 'TaskFailedToStart', createdAt });

const started = (r: ReconcileResult) => r.start.reduce((n, a) => n + a.count, 0);

describe('the service throttle', () => {
  it('retries a failed attempt at once, then waits longer after each failed attempt, and says so once', () => {
    const s = serviceFixture({ desired: 2 });
    const d = s.deployments[0]!.id;
    const tasks = [failed(d, 0), failed(d, 0)];
    // First failed attempt (both tasks of it): retried at once.
    const r1 = run(s, tasks, 1_000);
    expect(started(r1)).toBe(2);
    expect(r1.messages).toEqual([]);
    expect(r1.service.scheduler.throttle).toMatchObject({ deploymentId: d, failures: 1, retryAt: 1_000 });
    // The retry fails too: 10 s before the next attempt, and the event.
    tasks.push(failed(d, 1_000), failed(d, 1_000));
    const r2 = run(r1.service, tasks, 2_000);
    expect(started(r2)).toBe(0);
    expect(r2.messages).toEqual([UNABLE]);
    expect(r2.service.scheduler.throttle).toMatchObject({ failures: 2, retryAt: 12_000 });
    // Nudged meanwhile (another report): nothing starts, nothing is said.
    const r3 = run(r2.service, tasks, 5_000);
    expect([started(r3), r3.messages]).toEqual([0, []]);
    const r4 = run(r3.service, tasks, 12_000);
    expect(started(r4)).toBe(2);
    // That attempt fails as well: 20 s this time; the event is not repeated.
    tasks.push(failed(d, 12_000), failed(d, 12_000));
    const r5 = run(r4.service, tasks, 13_000);
    expect(r5.service.scheduler.throttle).toMatchObject({ failures: 3, retryAt: 33_000 });
    expect([started(r5), r5.messages]).toEqual([0, []]);
  });

  it('counts the tasks of one attempt once, however their failures trickle in', () => {
    const s = serviceFixture({ desired: 3 });
    const d = s.deployments[0]!.id;
    const batch = [failed(d, 0), taskFixture(d, 'PENDING', { createdAt: 0 }), taskFixture(d, 'PENDING', { createdAt: 0 })];
    const r1 = run(s, batch, 1_000);
    expect(r1.service.scheduler.throttle?.failures).toBe(1);
    batch[1] = failed(d, 0);
    const r2 = run(r1.service, batch, 1_500);
    expect(r2.service.scheduler.throttle?.failures).toBe(1);
  });

  it('ends once a task started after the last failure stays RUNNING, and the event is news again', () => {
    const s = serviceFixture({ desired: 1 });
    const d = s.deployments[0]!.id;
    const tasks = [failed(d, 0)];
    let r = run(s, tasks, 1_000);
    tasks.push(failed(d, 1_000));
    r = run(r.service, tasks, 2_000);
    expect(r.service.scheduler.recent[UNABLE]).toBe(2_000);
    const good = taskFixture(d, 'RUNNING', { createdAt: 12_000, startedAt: 12_500 });
    tasks.push(good);
    // RUNNING, but not for long enough yet.
    expect(run(r.service, tasks, 12_500 + START_WINDOW_MS - 1).service.scheduler.throttle).toBeDefined();
    r = run(r.service, tasks, 12_500 + START_WINDOW_MS);
    expect(r.service.scheduler.throttle).toBeUndefined();
    expect(r.service.scheduler.recent[UNABLE]).toBeUndefined();
  });

  it('is not ended by a task that was already running before the failures', () => {
    const s = serviceFixture({ desired: 2 });
    const d = s.deployments[0]!.id;
    const old = taskFixture(d, 'RUNNING', { createdAt: 0, startedAt: 0 });
    const tasks = [old, failed(d, 50_000)];
    let r = run(s, tasks, 51_000);
    tasks.push(failed(d, 51_000));
    r = run(r.service, tasks, 52_000);
    expect(r.service.scheduler.throttle).toMatchObject({ failures: 2 });
    expect(started(r)).toBe(0);
  });

  it('counts a task that exits soon after it started, not one that ran for a while, nor one the scheduler stopped', () => {
    const s = serviceFixture({ desired: 1 });
    const d = s.deployments[0]!.id;
    const quick = taskFixture(d, 'STOPPED', { stopCode: 'EssentialContainerExited', createdAt: 0, startedAt: 100, stoppedAt: 200 });
    expect(run(s, [quick], 1_000).service.scheduler.throttle?.failures).toBe(1);
    const long = taskFixture(d, 'STOPPED', { stopCode: 'EssentialContainerExited', createdAt: 0, startedAt: 100, stoppedAt: 100 + START_WINDOW_MS });
    expect(run(s, [long], 20_000).service.scheduler.throttle).toBeUndefined();
    const unhealthy = taskFixture(d, 'STOPPED', { stopCode: 'ServiceLoopInitiated', createdAt: 0 });
    expect(run(s, [unhealthy], 1_000).service.scheduler.throttle).toBeUndefined();
  });

  it('lets a new deployment start at once', () => {
    const s = serviceFixture({ desired: 2 });
    const d = s.deployments[0]!.id;
    const tasks = [failed(d, 0)];
    let r = run(s, tasks, 1_000);
    tasks.push(failed(d, 1_000));
    r = run(r.service, tasks, 2_000);
    expect(started(r)).toBe(0);
    // UpdateService with a new task definition.
    const updated = structuredClone(r.service);
    updated.taskDefinition = 'arn:aws:ecs:us-east-1:000000000000:task-definition/td:2';
    const next = newDeployment(updated, 'ecs-svc/0000000000000000002', 3_000);
    updated.deployments = supersede(updated.deployments, next);
    const r2 = run(updated, tasks, 3_000);
    expect(r2.start).toEqual([{ deploymentId: next.id, count: 2 }]);
    expect(r2.service.scheduler.throttle).toBeUndefined();
  });

  it('keeps its state in the service record, so a scheduler started afresh keeps waiting', () => {
    const s = serviceFixture({ desired: 1 });
    const d = s.deployments[0]!.id;
    const tasks = [failed(d, 0)];
    let r = run(s, tasks, 1_000);
    tasks.push(failed(d, 1_000));
    r = run(r.service, tasks, 2_000);
    const stored = JSON.parse(JSON.stringify(r.service)) as ServiceRecord;
    expect(started(run(stored, tasks, 11_999))).toBe(0);
    expect(started(run(stored, tasks, 12_000))).toBe(1);
  });

  it('does not keep the circuit breaker from tripping, and the rollback starts at once', () => {
    const s = serviceFixture({ desired: 2, breaker: { enable: true, rollback: true } });
    const good = s.deployments[0]!;
    good.rolloutState = RolloutState.Completed;
    s.scheduler.lastCompleted = structuredClone(good);
    s.taskDefinition = 'arn:aws:ecs:us-east-1:000000000000:task-definition/td:2';
    const bad = newDeployment(s, 'ecs-svc/0000000000000000002', 0);
    s.deployments = supersede(s.deployments, bad);
    const olds = [taskFixture(good.id, 'RUNNING', { createdAt: 0, startedAt: 0 }), taskFixture(good.id, 'RUNNING', { createdAt: 0, startedAt: 0 })];
    const tasks: TaskView[] = [...olds, failed(bad.id, 0), failed(bad.id, 0)];
    let r = run(s, tasks, 1_000);
    expect(r.service.deployments[0]).toMatchObject({ id: bad.id, failedTasks: 2, rolloutState: 'IN_PROGRESS' });
    tasks.push(failed(bad.id, 1_000));
    r = run(r.service, tasks, 2_000);
    const primary = r.service.deployments[0]!;
    expect(r.service.deployments.find((x) => x.id === bad.id)).toMatchObject({ rolloutState: 'FAILED', failedTasks: 3 });
    expect(primary).toMatchObject({ status: 'PRIMARY', taskDefinition: good.taskDefinition });
    expect(r.service.scheduler.throttle).toBeUndefined();
    expect(r.start).toEqual([{ deploymentId: primary.id, count: 2 }]);
  });
});
