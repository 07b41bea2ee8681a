import { describe, expect, it } from 'vitest';
import type { TaskAgent } from '../../agent-contract/task-contract.js';
import { createEcsControl } from '../../control/ecs-control.js';
import { FakeTraffic } from '../../control/services/traffic.fixtures.js';
import { MemoryStore } from '../../store/memory-store.js';
import { serviceHandlers } from './services.js';
import { taskHandlers } from './tasks.js';

const scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date('2026-01-01T00:00:00Z') };
const ctx = { scope, requestId: 'r' };
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/1';
const REGISTRY = 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-1';
const idle: TaskAgent = { launch: () => {}, stop: () => {}, capacity: () => ({ cpu: 4096, memory: 8192 }) };

describe('The wire Service and Task', () => {
  it('shows loadBalancers, serviceRegistries and healthCheckGracePeriodSeconds; a draining task as DEACTIVATING, desired STOPPED', async () => {
    const traffic = new FakeTraffic();
    traffic.addGroup(TG);
    traffic.addService(REGISTRY);
    const ecs = createEcsControl(new MemoryStore(), idle, { traffic });
    await ecs.clusters.create(scope, { clusterName: 'c' });
    await ecs.taskDefinitions.register(scope, { family: 'f', networkMode: 'awsvpc', containerDefinitions: [{ name: 'app', image: 'x', memory: 64, portMappings: [{ containerPort: 80 }] }] });
    const loadBalancers = [{ targetGroupArn: TG, containerName: 'app', containerPort: 80 }];
    const serviceRegistries = [{ registryArn: REGISTRY }];
    const handlers = serviceHandlers(ecs);
    await handlers.CreateService!(
      { cluster: 'c', serviceName: 'web', taskDefinition: 'f', desiredCount: 0, networkConfiguration: { awsvpcConfiguration: { subnets: ['s'] } }, loadBalancers, serviceRegistries, healthCheckGracePeriodSeconds: 45 },
      ctx,
    );
    const out = (await handlers.DescribeServices!({ cluster: 'c', services: ['web'] }, ctx)) as { services: Array<Record<string, unknown>> };
    expect(out.services[0]).toMatchObject({ loadBalancers, serviceRegistries, healthCheckGracePeriodSeconds: 45 });
    expect(out.services[0]!.deployments).toEqual([expect.not.objectContaining({ loadBalancers: expect.anything() })]);

    const { tasks } = await ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'f', networkConfiguration: { awsvpcConfiguration: { subnets: ['s'] } } });
    await ecs.tasks.applyReport(tasks[0]!.taskArn, { lastStatus: 'RUNNING' });
    const traffic0 = { phase: 'draining' as const, targets: [], instances: [], stop: { reason: 'r', stopCode: 'ServiceLoopInitiated' as const }, drainUntil: 0 };
    await ecs.tasks.recordTraffic(tasks[0]!.taskArn, traffic0, true);
    const described = (await taskHandlers(ecs).DescribeTasks!({ cluster: 'c', tasks: [tasks[0]!.taskArn] }, ctx)) as { tasks: Array<Record<string, unknown>> };
    expect(described.tasks[0]).toMatchObject({ lastStatus: 'DEACTIVATING', desiredStatus: 'STOPPED' });
    expect(described.tasks[0]).not.toHaveProperty('traffic');
    const listed = (await taskHandlers(ecs).ListTasks!({ cluster: 'c', desiredStatus: 'STOPPED' }, ctx)) as { taskArns: string[] };
    expect(listed.taskArns).toEqual([tasks[0]!.taskArn]);
  });
});

describe('ListServices resourceManagementType and ListTasks daemonName', () => {
  const setup = async () => {
    const ecs = createEcsControl(new MemoryStore(), idle);
    await ecs.clusters.create(scope, { clusterName: 'c' });
    await ecs.taskDefinitions.register(scope, { family: 'f', containerDefinitions: [{ name: 'app', image: 'x', memory: 64 }] });
    await serviceHandlers(ecs).CreateService!({ cluster: 'c', serviceName: 'web', taskDefinition: 'f', desiredCount: 0 }, ctx);
    return ecs;
  };

  it('lists every service as CUSTOMER-managed and none as ECS-managed, and shows the type', async () => {
    const handlers = serviceHandlers(await setup());
    const list = async (resourceManagementType?: 'CUSTOMER' | 'ECS') =>
      ((await handlers.ListServices!({ cluster: 'c', ...(resourceManagementType && { resourceManagementType }) }, ctx)) as { serviceArns: string[] }).serviceArns;
    const web = 'arn:aws:ecs:us-east-1:000000000000:service/c/web';
    expect(await list()).toEqual([web]);
    expect(await list('CUSTOMER')).toEqual([web]);
    expect(await list('ECS')).toEqual([]);
    const out = (await handlers.DescribeServices!({ cluster: 'c', services: ['web'] }, ctx)) as { services: Array<Record<string, unknown>> };
    expect(out.services[0]).toMatchObject({ resourceManagementType: 'CUSTOMER' });
  });

  it('refuses a daemonName filter rather than list every task', async () => {
    const ecs = await setup();
    await ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'f' });
    const list = taskHandlers(ecs).ListTasks!;
    expect(((await list({ cluster: 'c' }, ctx)) as { taskArns: string[] }).taskArns).toHaveLength(1);
    await expect(list({ cluster: 'c', daemonName: 'd' }, ctx)).rejects.toMatchObject({
      kind: 'InvalidArgument',
      subject: 'unsupported-feature',
      message: 'daemonName (this endpoint has no ECS daemons) is not supported by this endpoint yet.',
    });
  });
});
