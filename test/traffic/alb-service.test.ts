import { Agent } from 'node:http';
import { CreateServiceCommand, DeleteServiceCommand, DescribeTasksCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { liveTasks, messagesOf, NETWORK, registerFargate, waitForService } from '../services/service-fixture.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { albWithTargetGroup, elbClient, get, steadyLoad, targetHealth, until, webContainer } from './traffic-fixture.js';

const env = usePlatform();
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let fixture: ImageFixture;
const C = 'traffic';

beforeAll(async () => {
  ecs = env.ecs();
  elb = elbClient(env.platform());
  fixture = await startImageFixture();
}, 120_000);
afterAll(async () => {
  elb?.destroy();
  await fixture?.stop();
});

const settled = (count: number) => (s: { runningCount?: number; deployments?: Array<{ rolloutState?: string }> }) =>
  s.runningCount === count && s.deployments?.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED';


/** A Fargate service of `count` web tasks behind a fresh ALB; waits until every target is healthy. */
async function webService(name: string, count: number, opts: { ignoreTerm?: boolean; extraScript?: string } = {}) {
  const taskDefinition = await registerFargate(ecs, C, name, [webContainer(fixture.image, name, opts)]);
  const alb = await albWithTargetGroup(elb, name);
  const loadBalancers = [{ targetGroupArn: alb.tgArn, containerName: 'web', containerPort: 8080 }];
  await ecs.send(
    new CreateServiceCommand({
      cluster: C, serviceName: name, taskDefinition, desiredCount: count, launchType: 'FARGATE', networkConfiguration: NETWORK,
      loadBalancers, healthCheckGracePeriodSeconds: 30,
    }),
  );
  const service = await waitForService(ecs, C, name, settled(count), 120_000);
  await until('targets healthy', () => targetHealth(elb, alb.tgArn), (t) => t.length === count && t.every((d) => d.TargetHealth?.State === 'healthy'));
  return { ...alb, service, taskDefinition, loadBalancers, url: `http://${alb.dnsName}/` };
}

describe('a service behind an application load balancer, with real traffic', () => {
  it('registers its three tasks and the listener answers from each of them, by the DNS name', async () => {
    const web = await webService('three', 3);
    expect(web.service.loadBalancers).toEqual(web.loadBalancers);
    const tasks = await liveTasks(ecs, C, 'three');
    const addresses = tasks.map((t) => t.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value).sort();
    const health = await targetHealth(elb, web.tgArn);
    expect(health.map((d) => d.Target?.Id).sort()).toEqual(addresses);
    expect(health.every((d) => d.Target?.Port === 8080)).toBe(true);

    const agent = new Agent({ keepAlive: true });
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const { status, body } = await get(web.url, agent);
      expect(status).toBe(200);
      seen.add(body.trim());
    }
    agent.destroy();
    expect([...seen].sort()).toEqual(addresses.map((a) => `three ${a}`).sort());
    expect(messagesOf(web.service).some((m) => /^\(service three\) registered \d targets in \(target-group arn:aws:elasticloadbalancing:/.test(m))).toBe(true);
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'three', force: true }));
    await until('targets deregistered', () => targetHealth(elb, web.tgArn), (t) => t.length === 0, 60_000);
  }, 240_000);

  it('rolls a new deployment out under steady load (≥ 200 requests/s) without one failed request', async () => {
    const web = await webService('roll', 3);
    const before = new Set((await liveTasks(ecs, C, 'roll')).map((t) => t.taskArn));
    const { service } = await ecs.send(new UpdateServiceCommand({ cluster: C, service: 'roll', forceNewDeployment: true }));
    const next = service!.deployments![0]!.id;
    const rolled = waitForService(ecs, C, 'roll', (s) => settled(3)(s) && s.deployments?.[0]?.id === next, 180_000).then(async () => {
      // …and every old task is gone, not only out of the count.
      await until('old tasks stopped', () => liveTasks(ecs, C, 'roll'), (live) => live.every((t) => !before.has(t.taskArn)), 60_000);
    });
    const report = await steadyLoad(web.url, 250, rolled, { maxMs: 240_000, maxRequests: 80_000 });
    await rolled;
    expect(report.failures).toEqual([]);
    expect(report.byStatus[200]).toBe(report.sent);
    expect(report.sent / (report.durationMs / 1000)).toBeGreaterThanOrEqual(200);
    // Both generations answered: the traffic moved from the old tasks to the new ones.
    const after = (await liveTasks(ecs, C, 'roll')).map((t) => t.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value);
    const answered = [...report.bodies.keys()];
    expect(after.every((a) => answered.includes(`roll ${a}`))).toBe(true);
    expect(answered.length).toBeGreaterThan(3);
    const done = await waitForService(ecs, C, 'roll', () => true);
    expect(messagesOf(done).some((m) => /^\(service roll\) has begun draining connections on \d+ tasks\.$/.test(m))).toBe(true);
    expect(messagesOf(done).some((m) => /^\(service roll\) deregistered \d+ targets in \(target-group arn:aws:elasticloadbalancing:/.test(m))).toBe(true);
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'roll', force: true }));
  }, 420_000);

  it('scales in under steady load without a failed request, draining tasks that ignore SIGTERM before they are killed', async () => {
    const web = await webService('shrink', 3, { ignoreTerm: true });
    await ecs.send(new UpdateServiceCommand({ cluster: C, service: 'shrink', desiredCount: 1 }));
    const shrunk = until('scaled in', () => liveTasks(ecs, C, 'shrink'), (live) => live.length === 1, 120_000);
    const report = await steadyLoad(web.url, 250, shrunk, { maxMs: 150_000, maxRequests: 50_000 });
    await shrunk;
    expect(report.failures).toEqual([]);
    expect(report.sent / (report.durationMs / 1000)).toBeGreaterThanOrEqual(200);
    const health = await targetHealth(elb, web.tgArn);
    expect(health).toHaveLength(1);
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'shrink', force: true }));
  }, 300_000);

  it('replaces a task whose target fails its health checks', async () => {
    // The page at /health disappears 15 s after the task starts.
    await webService('sick', 1, { extraScript: '(sleep 15; rm /srv/health) &' });
    const [first] = await liveTasks(ecs, C, 'sick');
    const stopped = await until(
      'the unhealthy task stopped',
      () => liveTasks(ecs, C, 'sick'),
      (live) => !live.some((t) => t.taskArn === first!.taskArn) && live.length === 1,
      120_000,
    );
    expect(stopped[0]!.taskArn).not.toBe(first!.taskArn);
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: C, tasks: [first!.taskArn!] }));
    expect(tasks?.[0]?.stoppedReason).toMatch(/^Task failed ELB health checks in \(target-group arn:aws:elasticloadbalancing:[^)]+\)$/);
    const s = await waitForService(ecs, C, 'sick', () => true);
    expect(messagesOf(s).some((m) => m.includes('is unhealthy in (target-group') && m.includes('Health checks failed with these codes: [404]'))).toBe(true);
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'sick', force: true }));
  }, 240_000);
});
