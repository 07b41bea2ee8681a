import { seededRandom } from '../../lib/seeded-random.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconcile } from './reconcile.js';
import { newDeployment, rolloutBounds, supersede } from './rollout.js';
import { serviceFixture } from './service.fixtures.js';
import { DeploymentStatus, RolloutState, type ServiceRecord } from './service.js';
import { isHealthy, isLive, type TaskView } from './task-view.js';

const prng = seededRandom;

/** A simulated cluster: tasks move forward at random (chaos) or every tick (calm), and may crash during chaos. */
class World {
  tasks: TaskView[] = [];
  private serial = 0;
  constructor(private readonly rand: () => number, readonly withHealthChecks: boolean) {}

  launch(deploymentId: string, now: number): void {
    const id = (++this.serial).toString(16).padStart(32, '0');
    this.tasks.push({
      taskArn: `arn:aws:ecs:us-east-1:000000000000:task/c/${id}`,
      taskId: id,
      startedBy: deploymentId,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      healthStatus: 'UNKNOWN',
      hasHealthCheck: this.withHealthChecks,
      createdAt: now,
    });
  }

  step(calm: boolean, now: number): void {
    const go = () => calm || this.rand() < 0.5;
    for (const t of this.tasks) {
      if (t.lastStatus === 'STOPPED') continue;
      if (t.desiredStatus === 'STOPPED') {
        if (go()) Object.assign(t, { lastStatus: 'STOPPED', stopCode: t.stopCode ?? 'ServiceLoopInitiated' });
      } else if (!calm && this.rand() < 0.05) {
        Object.assign(t, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited' });
      } else if (t.lastStatus === 'PROVISIONING' && go()) {
        Object.assign(t, { lastStatus: 'RUNNING', startedAt: now });
      } else if (t.lastStatus === 'RUNNING' && t.hasHealthCheck && t.healthStatus === 'UNKNOWN' && go()) {
        t.healthStatus = 'HEALTHY';
      }
    }
  }
}

const config = fc
  .record({
    desired: fc.integer({ min: 0, max: 6 }),
    min: fc.constantFrom(0, 25, 50, 100),
    max: fc.constantFrom(100, 150, 200),
    initial: fc.integer({ min: 0, max: 6 }),
    updateAt: fc.integer({ min: 0, max: 15 }),
    newDesired: fc.integer({ min: 0, max: 6 }),
    health: fc.boolean(),
    seed: fc.integer(),
  })
  // Where both bounds pin the count to the desired count no task can be replaced (ECS says so in an event).
  .filter((c) => {
    const b = rolloutBounds(c.newDesired, { minimumHealthyPercent: c.min, maximumPercent: c.max });
    return c.newDesired === 0 || b.maxTotal > c.newDesired || b.minHealthy < c.newDesired;
  });

describe('reconcile, simulated', () => {
  it('stays within min/max percent while rolling, and converges once tasks stop failing', () => {
    fc.assert(
      fc.property(config, (c) => {
        const world = new World(prng(c.seed), c.health);
        let s: ServiceRecord = serviceFixture({ desired: c.initial, min: c.min, max: c.max });
        let ids = 10;
        for (let i = 0; i < c.initial; i++) world.launch(s.deployments[0]!.id, 0);
        world.step(true, 0);
        world.step(true, 0);
        for (let tick = 1; tick <= 80; tick++) {
          const now = tick * 1000;
          const calm = tick > 30;
          if (tick === c.updateAt + 1) {
            s = structuredClone(s);
            s.desiredCount = c.newDesired;
            s.taskDefinition = 'td:2';
            s.deployments = supersede(s.deployments, newDeployment(s, `ecs-svc/${String(++ids).padStart(19, '0')}`, now));
          }
          const r = reconcile({ service: s, tasks: world.tasks, instances: [], now, newDeploymentId: () => `ecs-svc/${String(++ids).padStart(19, '0')}` });
          const { minHealthy, maxTotal } = rolloutBounds(r.service.desiredCount, r.service.deploymentConfiguration);
          const live = world.tasks.filter(isLive).length;
          const started = r.start.reduce((n, a) => n + a.count, 0);
          // Starting never takes running + pending past maximumPercent.
          if (started > 0) expect(live + started).toBeLessThanOrEqual(maxTotal);
          // Stopping never takes the healthy count below minimumHealthyPercent (or below where it already was).
          const stopped = new Set(r.stop.map((x) => x.taskArn));
          const healthyBefore = world.tasks.filter(isHealthy).length;
          const healthyAfter = world.tasks.filter((t) => isHealthy(t) && !stopped.has(t.taskArn)).length;
          expect(healthyAfter).toBeGreaterThanOrEqual(Math.min(minHealthy, healthyBefore));
          for (const t of world.tasks) if (stopped.has(t.taskArn)) Object.assign(t, { desiredStatus: 'STOPPED', stopCode: 'ServiceLoopInitiated' });
          for (const a of r.start) for (let i = 0; i < a.count; i++) world.launch(a.deploymentId, now);
          s = r.service;
          world.step(calm, now);
        }
        const primary = s.deployments.find((d) => d.status === DeploymentStatus.Primary)!;
        expect(primary.rolloutState).toBe(RolloutState.Completed);
        expect(s.deployments).toHaveLength(1);
        const live = world.tasks.filter(isLive);
        expect(live).toHaveLength(s.desiredCount);
        expect(live.every((t) => t.startedBy === primary.id && isHealthy(t))).toBe(true);
        expect(s.runningCount).toBe(s.desiredCount);
      }),
      { numRuns: 300 },
    );
  });
});
