import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import { createDiscovery } from './discovery.js';

const scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date(1_700_000_000_000) };
const task = {
  taskId: '0123456789abcdef0123456789abcdef',
  ipv4: '10.213.0.5',
  port: 8080,
  availabilityZone: 'us-east-1a',
  clusterName: 'default',
  serviceName: 'web',
  taskDefinitionFamily: 'web',
  region: 'us-east-1',
};

async function setup(custom: boolean) {
  const d = createDiscovery(new MemoryStore());
  const op = await d.namespaces.create(scope, { name: 'corp.local', type: 'DNS_PRIVATE', vpc: 'vpc-01234567' });
  const ns = (await d.operations.get(scope, op)).targets.NAMESPACE!;
  const service = await d.services.create(scope, {
    name: 'web',
    namespaceId: ns,
    dnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }, { Type: 'SRV', TTL: 10 }] },
    ...(custom && { healthCheckCustomConfig: {} }),
  });
  return { d, service };
}

describe('ECS registration', () => {
  it("registers a task with ECS's attributes and its initial health, and answers it in DNS", async () => {
    const { d, service } = await setup(true);
    await d.ecs.registerTask(scope, { ...task, registryArn: service.arn, initialHealth: 'UNHEALTHY' });
    const instance = await d.instances.get(scope, service.id, task.taskId);
    expect(instance.attributes).toEqual({
      AWS_INSTANCE_IPV4: '10.213.0.5',
      AWS_INSTANCE_PORT: '8080',
      AVAILABILITY_ZONE: 'us-east-1a',
      AWS_INIT_HEALTH_STATUS: 'UNHEALTHY',
      ECS_CLUSTER_NAME: 'default',
      ECS_SERVICE_NAME: 'web',
      ECS_TASK_DEFINITION_FAMILY: 'web',
      REGION: 'us-east-1',
    });
    expect((await d.instances.discover(scope, { namespaceName: 'corp.local', serviceName: 'web' })).instances).toEqual([]);
    await d.ecs.setTaskHealth(scope, service.arn, task.taskId, true);
    expect(await d.dns.lookup('web.corp.local', 'A')).toMatchObject({ kind: 'answer', answers: [{ address: '10.213.0.5', ttl: 10 }] });
    await d.ecs.deregisterTask(scope, service.arn, task.taskId);
    await d.ecs.deregisterTask(scope, service.arn, task.taskId);
    expect((await d.instances.list(scope, service.id, 100)).items).toEqual([]);
  });

  it('leaves AWS_INIT_HEALTH_STATUS out for a registry without a custom health check', async () => {
    const { d, service } = await setup(false);
    await d.ecs.registerTask(scope, { ...task, registryArn: service.id });
    expect((await d.instances.get(scope, service.id, task.taskId)).attributes.AWS_INIT_HEALTH_STATUS).toBeUndefined();
  });
});
