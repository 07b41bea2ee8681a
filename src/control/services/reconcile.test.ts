import { describe, expect, it } from 'vitest';
import { reconcile, ROLLOUT_SETTLE_MS, type ReconcileResult } from './reconcile.js';
import { circuitBreakerThreshold, newDeployment, rolloutBounds, supersede } from './rollout.js';
import { serviceFixture, taskFixture } from './service.fixtures.js';
import { RolloutState, SchedulingStrategy, ServiceStatus, type ServiceRecord } from './service.js';
import type { InstanceView, TaskView } from './task-view.js';

let ids = 0;
// By default long after the fixtures' tasks started: RUNNING ones have stayed RUNNING past the settle time.
const run = (service: ServiceRecord, tasks: TaskView[], now = 1000 + ROLLOUT_SETTLE_MS, instances: InstanceView[] = []): ReconcileResult =>
  reconcile({ service, tasks, instances, now, newDeploymentId: () => `ecs-svc/${String(++ids).padStart(19, '9')}` });

/** A service whose primary deployment completed on `td:1` and which now rolls out `td:2`. */
function rolling(o: Parameters<typeof serviceFixture>[0] = {}) {
  const s = serviceFixture(o);
  const old = s.deployments[0]!;
  old.rolloutState = RolloutState.Completed;
  s.scheduler.lastCompleted = structuredClone(old);
  s.taskDefinition = 'arn:aws:ecs:us-east-1:000000000000:task-definition/td:2';
  const next = newDeployment(s, 'ecs-svc/0000000000000000002', 10);
  s.deployments = supersede(s.deployments, next);
  return { s, old, next };
}

describe('reconcile (REPLICA)', () => {
  it('starts the desired count for a new service', () => {
    const s = serviceFixture({ desired: 3 });
    const r = run(s, []);
    expect(r.start).toEqual([{ deploymentId: s.deployments[0]!.id, count: 3 }]);
    expect(r.stop).toEqual([]);
    expect(r.service.deployments[0]!.rolloutState).toBe('IN_PROGRESS');
  });

  it('completes the rollout and announces the steady state once', () => {
    const s = serviceFixture({ desired: 2 });
    const d = s.deployments[0]!.id;
    const tasks = [taskFixture(d, 'RUNNING'), taskFixture(d, 'RUNNING')];
    // Not before the tasks have stayed RUNNING for a moment.
    expect(run(s, tasks, ROLLOUT_SETTLE_MS - 1).service.deployments[0]!.rolloutState).toBe('IN_PROGRESS');
    const r = run(s, tasks, 1000 + ROLLOUT_SETTLE_MS);
    expect(r.start).toEqual([]);
    expect(r.messages).toEqual([`(service web) (deployment ${d}) deployment completed.`, '(service web) has reached a steady state.']);
    expect(r.service.deployments[0]).toMatchObject({ rolloutState: 'COMPLETED', rolloutStateReason: `ECS deployment ${d} completed.`, runningCount: 2 });
    expect(r.service.runningCount).toBe(2);
    expect(run(r.service, tasks, 2000 + ROLLOUT_SETTLE_MS).messages).toEqual([]);
  });

  it('replaces tasks on an instance whose agent is disconnected, and tells them to stop', () => {
    const s = serviceFixture({ desired: 2 });
    const d = s.deployments[0]!.id;
    const away = 'arn:aws:ecs:us-east-1:000000000000:container-instance/c/away';
    const here = 'arn:aws:ecs:us-east-1:000000000000:container-instance/c/here';
    const lost = taskFixture(d, 'RUNNING', { containerInstanceArn: away });
    const kept = taskFixture(d, 'RUNNING', { containerInstanceArn: here });
    const instances = [
      { containerInstanceArn: away, status: 'ACTIVE', agentConnected: false },
      { containerInstanceArn: here, status: 'ACTIVE', agentConnected: true },
    ];
    const r = run(s, [lost, kept], 1000, instances);
    expect(r.stop).toEqual([{ taskArn: lost.taskArn, taskId: lost.taskId, reason: 'Container instance agent is disconnected' }]);
    expect(r.start).toEqual([{ deploymentId: d, count: 1 }]);
    // Once told to stop, the lost task no longer counts: the replacement completes the rollout.
    const replacement = taskFixture(d, 'RUNNING', { containerInstanceArn: here });
    const r2 = run(r.service, [{ ...lost, desiredStatus: 'STOPPED' }, kept, replacement], 2000 + ROLLOUT_SETTLE_MS, instances);
    expect(r2.stop).toEqual([]);
    expect(r2.start).toEqual([]);
    expect(r2.service.deployments[0]!.rolloutState).toBe('COMPLETED');
    expect(r2.service.runningCount).toBe(2);
    // Connected again, the same tasks are counted: the extra one (oldest) is stopped.
    const back = instances.map((i) => ({ ...i, agentConnected: true }));
    const r3 = run(r2.service, [{ ...lost, desiredStatus: 'RUNNING' }, kept, replacement], 3000 + ROLLOUT_SETTLE_MS, back);
    expect(r3.stop.map((x) => x.taskArn)).toEqual([lost.taskArn]);
  });

  it('counts a task that exits right after it started as a failure of the rollout, not a completion', () => {
    const s = serviceFixture({ desired: 1 });
    const d = s.deployments[0]!.id;
    const flash = taskFixture(d, 'RUNNING', { startedAt: 900 });
    const r = run(s, [flash], 1000);
    expect(r.service.deployments[0]!.rolloutState).toBe('IN_PROGRESS');
    const gone = { ...flash, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited' };
    const r2 = run(r.service, [gone], 1100);
    expect(r2.service.deployments[0]!.failedTasks).toBe(1);
    expect(r2.start).toEqual([{ deploymentId: d, count: 1 }]);
  });

  it('replaces the tasks of an instance deregistered with force (no longer listed)', () => {
    const s = serviceFixture({ desired: 1 });
    const d = s.deployments[0]!.id;
    const here = 'arn:aws:ecs:us-east-1:000000000000:container-instance/c/here';
    const orphan = taskFixture(d, 'RUNNING', { containerInstanceArn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/c/gone' });
    const r = run(s, [orphan], 1000, [{ containerInstanceArn: here, status: 'ACTIVE', agentConnected: true }]);
    expect(r.stop).toEqual([{ taskArn: orphan.taskArn, taskId: orphan.taskId, reason: 'Container instance is deregistered' }]);
    expect(r.start).toEqual([{ deploymentId: d, count: 1 }]);
  });

  it('replaces a task that stopped', () => {
    const s = serviceFixture({ desired: 2 });
    const d = s.deployments[0]!.id;
    const r = run(s, [taskFixture(d, 'RUNNING'), taskFixture(d, 'STOPPED', { stopCode: 'UserInitiated' })]);
    expect(r.start).toEqual([{ deploymentId: d, count: 1 }]);
    expect(r.service.deployments[0]!.failedTasks).toBe(0);
  });

  it('rolls with 100/200: new tasks first, old ones only once the new are healthy', () => {
    const { s, old, next } = rolling({ desired: 2 });
    const olds = [taskFixture(old.id, 'RUNNING'), taskFixture(old.id, 'RUNNING')];
    const r1 = run(s, olds);
    expect(r1.start).toEqual([{ deploymentId: next.id, count: 2 }]);
    expect(r1.stop).toEqual([]);
    const news = [taskFixture(next.id, 'PENDING'), taskFixture(next.id, 'RUNNING')];
    const r2 = run(r1.service, [...olds, ...news]);
    expect(r2.start).toEqual([]);
    // One new task is healthy: one old task may go while two stay healthy.
    expect(r2.stop.map((x) => x.taskArn)).toEqual([olds[0]!.taskArn]);
    expect(r2.stop[0]!.reason).toBe(`Scaling activity initiated by (deployment ${next.id})`);
  });

  it('stops an old task for a new one only once the new one has stayed RUNNING for a moment', () => {
    const { s, old, next } = rolling({ desired: 1 });
    const olds = [taskFixture(old.id, 'RUNNING', { startedAt: 0 })];
    // A new task that may exit right away (a crashing revision) must not cost the service its healthy task.
    const fresh = taskFixture(next.id, 'RUNNING', { startedAt: 10_000 });
    const r = run(s, [...olds, fresh], 10_100);
    expect([r.stop, r.start, r.messages]).toEqual([[], [], []]);
    expect(run(s, [...olds, fresh], 10_000 + ROLLOUT_SETTLE_MS).stop.map((x) => x.taskArn)).toEqual([olds[0]!.taskArn]);
  });

  it('rolls with 50/100: stops an old task first to make room', () => {
    const { s, old, next } = rolling({ desired: 2, min: 50, max: 100 });
    const olds = [taskFixture(old.id, 'RUNNING'), taskFixture(old.id, 'RUNNING')];
    const r = run(s, olds);
    expect(r.start).toEqual([]);
    expect(r.stop).toHaveLength(1);
    olds[0]!.lastStatus = 'STOPPED';
    olds[0]!.stopCode = 'ServiceLoopInitiated';
    olds[0]!.desiredStatus = 'STOPPED';
    expect(run(r.service, olds).start).toEqual([{ deploymentId: next.id, count: 1 }]);
  });

  it('counts a task with health checks as healthy only when HEALTHY', () => {
    const { s, old, next } = rolling({ desired: 1 });
    const olds = [taskFixture(old.id, 'RUNNING')];
    const fresh = taskFixture(next.id, 'RUNNING', { hasHealthCheck: true, healthStatus: 'UNKNOWN' });
    expect(run(s, [...olds, fresh]).stop).toEqual([]);
    fresh.healthStatus = 'HEALTHY';
    expect(run(s, [...olds, fresh]).stop.map((x) => x.taskArn)).toEqual([olds[0]!.taskArn]);
  });

  it('replaces an UNHEALTHY task once the grace period is over', () => {
    const s = serviceFixture({ desired: 1 });
    s.healthCheckGracePeriodSeconds = 10;
    const d = s.deployments[0]!.id;
    const sick = taskFixture(d, 'RUNNING', { hasHealthCheck: true, healthStatus: 'UNHEALTHY', startedAt: 0 });
    expect(run(s, [sick], 5_000).stop).toEqual([]);
    const r = run(s, [sick], 10_000);
    expect(r.stop).toEqual([{ taskArn: sick.taskArn, taskId: sick.taskId, reason: 'Task failed container health checks' }]);
    expect(r.service.deployments[0]!.failedTasks).toBe(1);
  });

  it('counts a task behind load balancers as healthy only when its targets are, and replaces it when they fail after the grace period', () => {
    const { s, old, next } = rolling({ desired: 1 });
    s.healthCheckGracePeriodSeconds = 30;
    const olds = [taskFixture(old.id, 'RUNNING', { targetHealth: 'healthy' })];
    const fresh = taskFixture(next.id, 'RUNNING', { targetHealth: 'initial', startedAt: 0 });
    expect(run(s, [...olds, fresh]).stop).toEqual([]);
    fresh.targetHealth = 'healthy';
    expect(run(s, [...olds, fresh]).stop.map((x) => x.taskArn)).toEqual([olds[0]!.taskArn]);
    const failedTarget = { targetGroupArn: 'arn:tg', id: '10.0.0.9', port: 80, reason: 'Request timed out', instance: false };
    Object.assign(fresh, { targetHealth: 'unhealthy', failedTarget });
    expect(run(s, [...olds, fresh], 29_000).stop).toEqual([]);
    const r = run(s, [...olds, fresh], 30_000);
    expect(r.stop).toEqual([{ taskArn: fresh.taskArn, taskId: fresh.taskId, reason: 'Task failed ELB health checks in (target-group arn:tg)' }]);
    expect(r.messages).toContain('(service web) (port 80) is unhealthy in (target-group arn:tg) due to (reason Request timed out).');
    expect(r.service.deployments.find((d) => d.id === next.id)!.failedTasks).toBe(1);
  });

  it('scales in, preferring tasks that are not yet RUNNING', () => {
    const s = serviceFixture({ desired: 1 });
    const d = s.deployments[0]!.id;
    const tasks = [taskFixture(d, 'RUNNING'), taskFixture(d, 'PENDING'), taskFixture(d, 'RUNNING')];
    const r = run(s, tasks);
    expect(r.stop.map((x) => x.taskArn)).toEqual([tasks[1]!.taskArn, tasks[0]!.taskArn]);
    expect(r.start).toEqual([]);
  });

  it('trips the circuit breaker and rolls back to the last completed deployment', () => {
    const { s, old, next } = rolling({ desired: 2, breaker: { enable: true, rollback: true } });
    const olds = [taskFixture(old.id, 'RUNNING'), taskFixture(old.id, 'RUNNING')];
    const crashed = [1, 2, 3].map(() => taskFixture(next.id, 'STOPPED', { stopCode: 'EssentialContainerExited' }));
    const r1 = run(s, [...olds, ...crashed.slice(0, 2)]);
    expect(r1.service.deployments.find((d) => d.id === next.id)!.failedTasks).toBe(2);
    const r2 = run(r1.service, [...olds, ...crashed]);
    const failed = r2.service.deployments.find((d) => d.id === next.id)!;
    expect(failed).toMatchObject({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', failedTasks: 3 });
    const primary = r2.service.deployments[0]!;
    expect(primary).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: old.taskDefinition });
    expect(primary.rolloutStateReason).toBe(`ECS deployment circuit breaker: rolling back to deploymentId ${old.id}.`);
    expect(r2.service.taskDefinition).toBe(old.taskDefinition);
    expect(r2.messages).toEqual([
      `(service web) deployment ${next.id} deployment failed: tasks failed to start.`,
      `(service web) rolling back to deployment ${old.id}.`,
    ]);
    // Failures are counted once: the same stopped tasks again change nothing.
    expect(run(r2.service, [...olds, ...crashed]).service.deployments.find((d) => d.id === next.id)!.failedTasks).toBe(3);
  });

  it('does not roll back again when the rollback fails too: it stays FAILED and starts nothing', () => {
    const { s, old, next } = rolling({ desired: 1, breaker: { enable: true, rollback: true } });
    const crashed = (id: string) => [1, 2, 3].map(() => taskFixture(id, 'STOPPED', { stopCode: 'TaskFailedToStart' }));
    const first = crashed(next.id);
    const r1 = run(s, first);
    const rollback = r1.service.deployments[0]!;
    expect(rollback.rolloutStateReason).toBe(`ECS deployment circuit breaker: rolling back to deploymentId ${old.id}.`);
    const r2 = run(r1.service, [...first, ...crashed(rollback.id)]);
    expect(r2.service.deployments[0]).toMatchObject({ id: rollback.id, status: 'PRIMARY', rolloutState: 'FAILED' });
    expect(r2.messages).toEqual([`(service web) deployment ${rollback.id} deployment failed: tasks failed to start.`]);
    expect(r2.start).toEqual([]);
    const r3 = run(r2.service, [...first, ...crashed(rollback.id)]);
    expect(r3.service.deployments.map((d) => d.id)).toEqual(r2.service.deployments.map((d) => d.id));
    expect(r3.start).toEqual([]);
  });

  it('without rollback, a failed rollout stops starting tasks and keeps the old ones', () => {
    const { s, old, next } = rolling({ desired: 2, breaker: { enable: true, rollback: false } });
    const olds = [taskFixture(old.id, 'RUNNING'), taskFixture(old.id, 'RUNNING')];
    const crashed = [1, 2, 3].map(() => taskFixture(next.id, 'STOPPED', { stopCode: 'TaskFailedToStart' }));
    const r = run(s, [...olds, ...crashed]);
    expect(r.service.deployments[0]).toMatchObject({ id: next.id, rolloutState: 'FAILED' });
    expect(r.start).toEqual([]);
    expect(r.stop).toEqual([]);
  });

  it('drains a deleted service and makes it INACTIVE once no task is left', () => {
    const s = serviceFixture({ desired: 0 });
    s.status = ServiceStatus.Draining;
    const d = s.deployments[0]!.id;
    const t = taskFixture(d, 'RUNNING');
    const r = run(s, [t]);
    expect(r.stop.map((x) => x.reason)).toEqual(['Service was deleted']);
    expect(r.service.status).toBe('DRAINING');
    expect(run(r.service, [{ ...t, lastStatus: 'STOPPED', desiredStatus: 'STOPPED' }]).service.status).toBe('INACTIVE');
  });

  it('replaces tasks on a DRAINING instance: replacement first, then the old task', () => {
    const s = serviceFixture({ desired: 1 });
    const d = s.deployments[0]!.id;
    const instances = [{ containerInstanceArn: 'ci/a', status: 'DRAINING' }];
    const onDrain = taskFixture(d, 'RUNNING', { containerInstanceArn: 'ci/a' });
    const r1 = run(s, [onDrain], undefined, instances);
    expect(r1.start).toEqual([{ deploymentId: d, count: 1 }]);
    expect(r1.stop).toEqual([]);
    const replacement = taskFixture(d, 'RUNNING');
    expect(run(r1.service, [onDrain, replacement], undefined, instances).stop).toEqual([{ taskArn: onDrain.taskArn, taskId: onDrain.taskId, reason: 'Container instance is draining' }]);
  });

  it('says once that the configuration leaves no room', () => {
    const { s, old } = rolling({ desired: 1, min: 100, max: 100 });
    const olds = [taskFixture(old.id, 'RUNNING')];
    const r = run(s, olds);
    expect(r.start).toEqual([]);
    expect(r.messages).toEqual([
      '(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.',
    ]);
    expect(run(r.service, olds).messages).toEqual([]);
  });
});

describe('reconcile (DAEMON)', () => {
  const instances = [
    { containerInstanceArn: 'ci/1', status: 'ACTIVE' },
    { containerInstanceArn: 'ci/2', status: 'ACTIVE' },
    { containerInstanceArn: 'ci/3', status: 'DRAINING' },
  ];

  it('runs one task per ACTIVE instance and stops those on other instances', () => {
    const s = serviceFixture({ strategy: SchedulingStrategy.Daemon, desired: 0 });
    const d = s.deployments[0]!.id;
    const on3 = taskFixture(d, 'RUNNING', { containerInstanceArn: 'ci/3' });
    const on1 = taskFixture(d, 'RUNNING', { containerInstanceArn: 'ci/1' });
    const r = run(s, [on1, on3], 1000, instances);
    expect(r.start).toEqual([{ deploymentId: d, count: 1, containerInstanceArns: ['ci/2'] }]);
    expect(r.stop.map((x) => x.taskArn)).toEqual([on3.taskArn]);
    expect(r.service.desiredCount).toBe(2);
  });

  it('replaces an old deployment task per instance: stop first at 0/100', () => {
    const { s, old, next } = rolling({ strategy: SchedulingStrategy.Daemon, desired: 2 });
    const t1 = taskFixture(old.id, 'RUNNING', { containerInstanceArn: 'ci/1' });
    const t2 = taskFixture(old.id, 'RUNNING', { containerInstanceArn: 'ci/2' });
    const r = run(s, [t1, t2], 1000, instances.slice(0, 2));
    expect(r.stop.map((x) => x.taskArn).sort()).toEqual([t1.taskArn, t2.taskArn].sort());
    expect(r.start).toEqual([]);
    const gone = [t1, t2].map((t) => ({ ...t, lastStatus: 'STOPPED', desiredStatus: 'STOPPED' }));
    expect(run(r.service, gone, 1000, instances.slice(0, 2)).start).toEqual([
      { deploymentId: next.id, count: 2, containerInstanceArns: ['ci/1', 'ci/2'] },
    ]);
  });
});

describe('rollout arithmetic', () => {
  it('rounds minimum healthy up and maximum down', () => {
    expect(rolloutBounds(3, { minimumHealthyPercent: 50, maximumPercent: 150 })).toEqual({ minHealthy: 2, maxTotal: 4 });
    expect(rolloutBounds(5, { minimumHealthyPercent: 10, maximumPercent: 119 })).toEqual({ minHealthy: 1, maxTotal: 5 });
  });

  it('sets the circuit breaker threshold to half the desired count, between 3 and 200', () => {
    expect([0, 1, 6, 7, 10, 399, 400, 1000].map(circuitBreakerThreshold)).toEqual([3, 3, 3, 4, 5, 200, 200, 200]);
  });
});
