import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconcile } from './reconcile.js';
import { newDeployment, supersede } from './rollout.js';
import { serviceFixture } from './service.fixtures.js';
import { DeploymentStatus, RolloutState, SchedulingStrategy } from './service.js';
import { isHealthy, isLive, type InstanceView, type TaskView } from './task-view.js';

const instanceArn = (i: number) => `arn:aws:ecs:us-east-1:000000000000:container-instance/c/${i}`;

describe('reconcile (DAEMON), simulated', () => {
  it('never puts two tasks on an instance at 0/100, and converges to one primary task per ACTIVE instance', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('ACTIVE', 'DRAINING'), { minLength: 0, maxLength: 6 }),
        fc.array(fc.constantFrom('ACTIVE', 'DRAINING'), { minLength: 0, maxLength: 6 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        (before, after, switchAt, coin) => {
          let s = serviceFixture({ strategy: SchedulingStrategy.Daemon, desired: 0 });
          const tasks: TaskView[] = [];
          let serial = 0;
          let instances: InstanceView[] = before.map((status, i) => ({ containerInstanceArn: instanceArn(i), status }));
          for (let tick = 0; tick < 40; tick++) {
            if (tick === switchAt) {
              // The instances change and a new revision rolls out at the same time.
              instances = after.map((status, i) => ({ containerInstanceArn: instanceArn(i), status }));
              s = structuredClone(s);
              s.taskDefinition = 'td:2';
              s.deployments = supersede(s.deployments, newDeployment(s, 'ecs-svc/2000000000000000000', tick));
            }
            const r = reconcile({ service: s, tasks, instances, now: tick * 1000, newDeploymentId: () => 'ecs-svc/3000000000000000000' });
            for (const t of tasks) if (r.stop.some((x) => x.taskArn === t.taskArn)) t.desiredStatus = 'STOPPED';
            for (const a of r.start) {
              for (const arn of a.containerInstanceArns ?? []) {
                const id = (++serial).toString(16).padStart(32, '0');
                tasks.push({ taskArn: `t/${id}`, taskId: id, startedBy: a.deploymentId, lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', healthStatus: 'UNKNOWN', hasHealthCheck: false, createdAt: tick, containerInstanceArn: arn });
              }
            }
            for (const i of instances) {
              expect(tasks.filter((t) => isLive(t) && t.containerInstanceArn === i.containerInstanceArn).length).toBeLessThanOrEqual(1);
            }
            s = r.service;
            // Tasks move on at random for a while, then every tick.
            const go = tick > 20 || coin[tick]!;
            for (const t of tasks) {
              if (!go || t.lastStatus === 'STOPPED') continue;
              t.lastStatus = t.desiredStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING';
            }
          }
          const active = instances.filter((i) => i.status === 'ACTIVE').map((i) => i.containerInstanceArn);
          const primary = s.deployments.find((d) => d.status === DeploymentStatus.Primary)!;
          const live = tasks.filter(isLive);
          expect(live.map((t) => t.containerInstanceArn).sort()).toEqual([...active].sort());
          expect(live.every((t) => t.startedBy === primary.id && isHealthy(t))).toBe(true);
          expect(s.desiredCount).toBe(active.length);
          expect(primary.rolloutState).toBe(RolloutState.Completed);
        },
      ),
      { numRuns: 200 },
    );
  });
});
