import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClusterNotFoundException,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  InvalidParameterException,
  ListServicesCommand,
  RunTaskCommand,
  ServiceNotActiveException,
  ServiceNotFoundException,
  StopTaskCommand,
  UnsupportedFeatureException,
  UpdateServiceCommand,
  waitUntilServicesStable,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { usePlatform } from '../support/platform.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { describeService, liveTasks, messagesOf, NETWORK, registerFargate, sleeper, waitForService } from './service-fixture.js';

const env = usePlatform();
let ecs: ECSClient;
let fixture: ImageFixture;
let td: string;
const home = mkdtempSync(join(tmpdir(), 'minato-cli-services-'));
const C = 'svc';

beforeAll(async () => {
  ecs = env.ecs();
  fixture = await startImageFixture();
  td = await registerFargate(ecs, C, 'svc-sleep', [sleeper(fixture.image)]);
});
afterAll(async () => {
  await fixture?.stop();
  rmSync(home, { recursive: true, force: true });
});

const create = (serviceName: string, desiredCount: number, extra: object = {}) =>
  ecs.send(new CreateServiceCommand({ cluster: C, serviceName, taskDefinition: td, desiredCount, launchType: 'FARGATE', networkConfiguration: NETWORK, ...extra }));

describe('a REPLICA service with real tasks', () => {
  it('starts its tasks, reaches a steady state, and describes itself as ECS does', async () => {
    const { service } = await create('web', 2, { tags: [{ key: 'team', value: 'a' }] });
    expect(service).toMatchObject({
      serviceArn: `arn:aws:ecs:us-east-1:000000000000:service/${C}/web`,
      serviceName: 'web',
      clusterArn: `arn:aws:ecs:us-east-1:000000000000:cluster/${C}`,
      status: 'ACTIVE',
      desiredCount: 2,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      taskDefinition: td,
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      availabilityZoneRebalancing: 'DISABLED',
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: false, rollback: false } },
      networkConfiguration: NETWORK,
      createdBy: 'arn:aws:iam::000000000000:root',
    });
    expect(service?.deployments).toHaveLength(1);
    expect(service?.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 2, taskDefinition: td, platformVersion: '1.4.0' });
    expect(service?.deployments?.[0]?.id).toMatch(/^ecs-svc\/\d{19}$/);

    await waitUntilServicesStable({ client: ecs, maxWaitTime: 90, minDelay: 1 }, { cluster: C, services: ['web'] });
    const stable = await waitForService(ecs, C, 'web', (s) => messagesOf(s).some((m) => m === '(service web) has reached a steady state.'));
    expect(stable).toMatchObject({ runningCount: 2, pendingCount: 0 });
    expect(stable.deployments?.[0]).toMatchObject({ rolloutState: 'COMPLETED', runningCount: 2, failedTasks: 0 });
    const messages = messagesOf(stable);
    const started = messages.find((m) => m.startsWith('(service web) has started 2 tasks:'));
    expect(started).toMatch(/^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/);
    expect(messages).toContain(`(service web) (deployment ${stable.deployments?.[0]?.id}) deployment completed.`);
    // Newest event first.
    expect(stable.events?.[0]?.message).toBe('(service web) has reached a steady state.');

    const tasks = await liveTasks(ecs, C, 'web');
    expect(tasks).toHaveLength(2);
    for (const t of tasks) expect(t).toMatchObject({ group: 'service:web', startedBy: stable.deployments?.[0]?.id, lastStatus: 'RUNNING', launchType: 'FARGATE' });

    const withTags = await ecs.send(new DescribeServicesCommand({ cluster: C, services: ['web', 'nope'], include: ['TAGS'] }));
    expect(withTags.services?.[0]?.tags).toEqual([{ key: 'team', value: 'a' }]);
    expect(withTags.failures).toEqual([{ arn: `arn:aws:ecs:us-east-1:000000000000:service/${C}/nope`, reason: 'MISSING' }]);
  }, 90_000);

  it('replaces a task that is stopped', async () => {
    const before = await liveTasks(ecs, C, 'web');
    const victim = before[0]!.taskArn!;
    await ecs.send(new StopTaskCommand({ cluster: C, task: victim, reason: 'chaos' }));
    const end = Date.now() + 60_000;
    let tasks = await liveTasks(ecs, C, 'web');
    while (!(tasks.length === 2 && tasks.every((t) => t.lastStatus === 'RUNNING' && t.taskArn !== victim)) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 300));
      tasks = await liveTasks(ecs, C, 'web');
    }
    expect(tasks.map((t) => t.taskArn)).not.toContain(victim);
    expect(tasks.filter((t) => t.lastStatus === 'RUNNING')).toHaveLength(2);
    const s = await waitForService(ecs, C, 'web', (x) => x.runningCount === 2);
    expect(messagesOf(s).some((m) => /^\(service web\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/.test(m))).toBe(true);
  }, 90_000);

  it('is listed, with the launch type and scheduling strategy filters and pagination', async () => {
    await create('other', 0);
    const all = await ecs.send(new ListServicesCommand({ cluster: C }));
    expect(all.serviceArns?.sort()).toEqual([`arn:aws:ecs:us-east-1:000000000000:service/${C}/other`, `arn:aws:ecs:us-east-1:000000000000:service/${C}/web`]);
    const page1 = await ecs.send(new ListServicesCommand({ cluster: C, maxResults: 1 }));
    expect(page1.serviceArns).toHaveLength(1);
    const page2 = await ecs.send(new ListServicesCommand({ cluster: C, maxResults: 1, nextToken: page1.nextToken }));
    expect([...page1.serviceArns!, ...page2.serviceArns!].sort()).toEqual(all.serviceArns?.sort());
    expect((await ecs.send(new ListServicesCommand({ cluster: C, launchType: 'EC2' }))).serviceArns).toEqual([]);
    expect((await ecs.send(new ListServicesCommand({ cluster: C, schedulingStrategy: 'DAEMON' }))).serviceArns).toEqual([]);
    expect((await ecs.send(new ListServicesCommand({ cluster: C, schedulingStrategy: 'REPLICA', launchType: 'FARGATE' }))).serviceArns).toHaveLength(2);
  }, 90_000);

  it('waits with `aws ecs wait services-stable` and scales with update-service', async () => {
    const res = await awsCli(env.platform().endpoint, home, ['ecs', 'update-service', '--cluster', C, '--service', 'web', '--desired-count', '1']);
    expect(res.code, res.stderr).toBe(0);
    const wait = await awsCli(env.platform().endpoint, home, ['ecs', 'wait', 'services-stable', '--cluster', C, '--services', 'web']);
    expect(wait.code, wait.stderr).toBe(0);
    const s = await waitForService(ecs, C, 'web', (x) => x.runningCount === 1);
    expect(s.deployments).toHaveLength(1);
    expect(messagesOf(s).some((m) => /^\(service web\) has stopped 1 running tasks: \(task [0-9a-f]{32}\)\.$/.test(m))).toBe(true);
  }, 90_000);

  it('refuses to delete a scaled service without force, then drains it with force', async () => {
    await expect(ecs.send(new DeleteServiceCommand({ cluster: C, service: 'web' }))).rejects.toThrow(InvalidParameterException);
    await expect(ecs.send(new DeleteServiceCommand({ cluster: C, service: 'web' }))).rejects.toThrow('The service cannot be stopped while it is scaled above 0.');
    const { service } = await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'web', force: true }));
    expect(service).toMatchObject({ status: 'DRAINING', desiredCount: 0 });
    const gone = await waitForService(ecs, C, 'web', (s) => s.status === 'INACTIVE');
    expect(gone.runningCount).toBe(0);
    // INACTIVE comes once every task is STOPPING or beyond; the last ones finish stopping soon after.
    for (let i = 0; i < 100 && (await liveTasks(ecs, C, 'web')).length > 0; i++) await sleep(100);
    expect(await liveTasks(ecs, C, 'web')).toEqual([]);
    await expect(ecs.send(new UpdateServiceCommand({ cluster: C, service: 'web', desiredCount: 1 }))).rejects.toThrow(ServiceNotActiveException);
    expect((await ecs.send(new ListServicesCommand({ cluster: C }))).serviceArns).toEqual([`arn:aws:ecs:us-east-1:000000000000:service/${C}/other`]);
    // The name is free again once the service is INACTIVE.
    const again = await create('web', 0);
    expect(again.service?.status).toBe('ACTIVE');
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'web' }));
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'other' }));
  }, 90_000);
});

describe('service requests ECS refuses', () => {
  it('names the exceptions ECS names', async () => {
    await expect(ecs.send(new CreateServiceCommand({ cluster: 'no-such', serviceName: 'x', taskDefinition: td, desiredCount: 1 }))).rejects.toThrow(ClusterNotFoundException);
    await expect(create('neg', -1)).rejects.toThrow(InvalidParameterException);
    await expect(create('bad name!', 1)).rejects.toThrow(InvalidParameterException);
    await expect(
      ecs.send(new CreateServiceCommand({ cluster: C, serviceName: 'bp', taskDefinition: td, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK, placementStrategy: [{ type: 'binpack', field: 'disk' }] })),
    ).rejects.toThrow(InvalidParameterException);
    await expect(
      ecs.send(new CreateServiceCommand({ cluster: C, serviceName: 'st', taskDefinition: td, desiredCount: 1, placementStrategy: [{ type: 'sideways' as 'spread' }] })),
    ).rejects.toThrow(InvalidParameterException);
    await expect(
      ecs.send(new CreateServiceCommand({ cluster: C, serviceName: 'd', taskDefinition: td, desiredCount: 1, schedulingStrategy: 'DAEMON' })),
    ).rejects.toThrow('The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again');
    await expect(
      ecs.send(new CreateServiceCommand({ cluster: C, serviceName: 'lt', taskDefinition: td, desiredCount: 1, launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }], networkConfiguration: NETWORK })),
    ).rejects.toThrow(InvalidParameterException);
    await expect(ecs.send(new UpdateServiceCommand({ cluster: C, service: 'missing', desiredCount: 1 }))).rejects.toThrow(ServiceNotFoundException);
  }, 90_000);

  it('refuses what it does not act on, storing nothing, and keeps availabilityZoneRebalancing DISABLED', async () => {
    const lb = [{ targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef', containerName: 'app', containerPort: 80 }];
    // No target group or Cloud Map service exists until those APIs are served: a service naming one is refused.
    await expect(create('lb', 0, { loadBalancers: lb })).rejects.toThrow(`The target group with targetGroupArn ${lb[0]!.targetGroupArn} does not exist.`);
    await expect(create('lb', 0, { loadBalancers: [{ loadBalancerName: 'classic', containerName: 'app', containerPort: 80 }] })).rejects.toThrow(UnsupportedFeatureException);
    await expect(create('lb', 0, { serviceRegistries: [{ registryArn: 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-1' }] })).rejects.toThrow(
      'The service registry arn:aws:servicediscovery:us-east-1:000000000000:service/srv-1 does not exist.',
    );
    await expect(create('lb', 0, { deploymentConfiguration: { alarms: { alarmNames: ['a'], enable: true, rollback: true } } })).rejects.toThrow(UnsupportedFeatureException);
    await expect(create('lb', 0, { availabilityZoneRebalancing: 'ENABLED' })).rejects.toThrow(UnsupportedFeatureException);
    await expect(create('lb', 0, { enableExecuteCommand: true })).rejects.toThrow('enableExecuteCommand (ECS Exec) is not supported by this endpoint yet.');
    await expect(
      ecs.send(new RunTaskCommand({ cluster: C, taskDefinition: td, launchType: 'FARGATE', networkConfiguration: NETWORK, overrides: { ephemeralStorage: { sizeInGiB: 30 } } })),
    ).rejects.toThrow(UnsupportedFeatureException);
    const missing = await ecs.send(new DescribeServicesCommand({ cluster: C, services: ['lb'] }));
    expect(missing.failures).toEqual([{ arn: `arn:aws:ecs:us-east-1:000000000000:service/${C}/lb`, reason: 'MISSING' }]);

    const { service } = await create('azr', 0, { availabilityZoneRebalancing: 'DISABLED', deploymentConfiguration: { strategy: 'ROLLING' } });
    expect(service?.availabilityZoneRebalancing).toBe('DISABLED');
    expect(service?.deploymentConfiguration?.strategy).toBe('ROLLING');
    await expect(ecs.send(new UpdateServiceCommand({ cluster: C, service: 'azr', availabilityZoneRebalancing: 'ENABLED' }))).rejects.toThrow(UnsupportedFeatureException);
    await expect(ecs.send(new UpdateServiceCommand({ cluster: C, service: 'azr', loadBalancers: lb }))).rejects.toThrow(InvalidParameterException);
    expect((await describeService(ecs, C, 'azr')).availabilityZoneRebalancing).toBe('DISABLED');
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'azr' }));
  }, 90_000);

  it('answers a repeated CreateService with the service, and a different one as not idempotent', async () => {
    const a = await create('idem', 0);
    const b = await create('idem', 0);
    expect(b.service?.serviceArn).toBe(a.service?.serviceArn);
    expect(b.service?.deployments?.[0]?.id).toBe(a.service?.deployments?.[0]?.id);
    await expect(create('idem', 1)).rejects.toThrow('Creation of service was not idempotent.');
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'idem' }));
    expect((await describeService(ecs, C, 'idem')).status).toMatch(/DRAINING|INACTIVE/);
  }, 90_000);
});
