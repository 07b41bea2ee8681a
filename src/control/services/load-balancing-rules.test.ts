import { describe, expect, it } from 'vitest';
import type { CreateServiceRequest, LoadBalancer } from '@aws-sdk/client-ecs';
import type { TaskAgent } from '../../agent-contract/task-contract.js';
import { MemoryStore } from '../../store/memory-store.js';
import { createEcsControl } from '../ecs-control.js';
import { LB_MESSAGES } from './load-balancing-rules.js';
import { FakeTraffic } from './traffic.fixtures.js';
import type { TrafficPorts } from './traffic-ports.js';

const scope = () => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date('2026-01-01T00:00:00Z') });
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/1';
const REGISTRY = 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-1';
const REGISTRY_SRV = 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-2';
const idle: TaskAgent = { launch: () => {}, stop: () => {}, capacity: () => ({ cpu: 4096, memory: 8192 }) };

async function setup(traffic?: TrafficPorts) {
  const ecs = createEcsControl(new MemoryStore(), idle, traffic ? { traffic } : {});
  await ecs.clusters.create(scope(), { clusterName: 'c' });
  const containerDefinitions = [{ name: 'app', image: 'x', memory: 64, portMappings: [{ containerPort: 80 }] }];
  await ecs.taskDefinitions.register(scope(), { family: 'vpc', networkMode: 'awsvpc', containerDefinitions });
  await ecs.taskDefinitions.register(scope(), { family: 'br', containerDefinitions });
  return ecs;
}

function fakes(): FakeTraffic {
  const f = new FakeTraffic();
  f.addGroup(TG);
  f.addService(REGISTRY);
  f.addService(REGISTRY_SRV, ['SRV']);
  return f;
}

const create = (o: Partial<CreateServiceRequest>): CreateServiceRequest => ({
  cluster: 'c',
  serviceName: 'web',
  taskDefinition: 'vpc',
  desiredCount: 1,
  networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
  ...o,
});
const lb = (o: Partial<LoadBalancer> = {}): LoadBalancer => ({ targetGroupArn: TG, containerName: 'app', containerPort: 80, ...o });

describe('CreateService and UpdateService with load balancers and service registries', () => {
  it('refuses a target group that does not exist while no load-balancer domain answers', async () => {
    const ecs = await setup();
    await expect(ecs.services.create(scope(), create({ loadBalancers: [lb()] }))).rejects.toThrow(LB_MESSAGES.notFound(TG));
    await expect(ecs.services.create(scope(), create({ serviceRegistries: [{ registryArn: REGISTRY }] }))).rejects.toThrow(LB_MESSAGES.registryNotFound(REGISTRY));
  });

  it('checks each load balancer as ECS does', async () => {
    const f = fakes();
    const ecs = await setup(f);
    const refused = (o: Partial<CreateServiceRequest>) => ecs.services.create(scope(), create(o));
    await expect(refused({ loadBalancers: Array.from({ length: 6 }, () => lb()) })).rejects.toThrow(LB_MESSAGES.tooMany);
    await expect(refused({ loadBalancers: [lb({ targetGroupArn: undefined, loadBalancerName: 'classic' })] })).rejects.toMatchObject({
      subject: 'unsupported-feature',
      message: expect.stringContaining('Classic Load Balancers'),
    });
    await expect(refused({ loadBalancers: [lb({ containerPort: undefined })] })).rejects.toThrow(LB_MESSAGES.containerRequired);
    await expect(refused({ loadBalancers: [lb({ containerName: 'nope' })] })).rejects.toThrow('The container nope does not exist in the task definition.');
    await expect(refused({ loadBalancers: [lb({ containerPort: 8080 })] })).rejects.toThrow('The container app did not have a container port 8080 defined.');
    await expect(refused({ taskDefinition: 'br', networkConfiguration: undefined, loadBalancers: [lb()] })).rejects.toThrow(
      `The provided target group ${TG} has target type ip, which is incompatible with the bridge network mode specified in the task definition.`,
    );
    f.addGroup(TG, { loadBalancerArns: [] });
    await expect(refused({ loadBalancers: [lb()] })).rejects.toThrow(`The target group with targetGroupArn ${TG} does not have an associated load balancer.`);
    f.addGroup(TG, { targetType: 'instance' });
    await expect(refused({ loadBalancers: [lb()] })).rejects.toThrow(
      `The provided target group ${TG} has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.`,
    );
    expect(await ecs.services.create(scope(), create({ taskDefinition: 'br', networkConfiguration: undefined, loadBalancers: [lb()] }))).toMatchObject({ loadBalancers: [lb()] });
  });

  it('checks service registries: one, existing, with the ports SRV records need', async () => {
    const ecs = await setup(fakes());
    const refused = (o: Partial<CreateServiceRequest>) => ecs.services.create(scope(), create(o));
    await expect(refused({ serviceRegistries: [{ registryArn: REGISTRY }, { registryArn: REGISTRY }] })).rejects.toThrow(LB_MESSAGES.oneRegistry);
    await expect(refused({ serviceRegistries: [{ registryArn: REGISTRY_SRV }] })).rejects.toThrow(LB_MESSAGES.srvNeedsPort);
    await expect(refused({ serviceRegistries: [{ registryArn: REGISTRY_SRV, port: 80, containerName: 'app', containerPort: 80 }] })).rejects.toThrow(LB_MESSAGES.portAndContainer);
    await expect(refused({ taskDefinition: 'br', networkConfiguration: undefined, serviceRegistries: [{ registryArn: REGISTRY_SRV }] })).rejects.toThrow(LB_MESSAGES.bridgeOrHost);
    await expect(refused({ serviceRegistries: [{ registryArn: REGISTRY_SRV, containerName: 'app', containerPort: 81 }] })).rejects.toThrow(LB_MESSAGES.noPort('app', 81));
    const s = await ecs.services.create(scope(), create({ serviceRegistries: [{ registryArn: REGISTRY_SRV, port: 80 }] }));
    expect(s.serviceRegistries).toEqual([{ registryArn: REGISTRY_SRV, port: 80 }]);
    expect(s.deployments[0]!.serviceRegistries).toEqual([{ registryArn: REGISTRY_SRV, port: 80 }]);
  });

  it('starts a new deployment when UpdateService changes the load balancers, and checks them against the task definition', async () => {
    const ecs = await setup(fakes());
    await ecs.services.create(scope(), create({ loadBalancers: [lb()] }));
    await ecs.taskDefinitions.register(scope(), { family: 'vpc', networkMode: 'awsvpc', containerDefinitions: [{ name: 'other', image: 'x', memory: 64 }] });
    // The new revision lacks the container the load balancer names.
    await expect(ecs.services.update(scope(), { cluster: 'c', service: 'web', taskDefinition: 'vpc:2' })).rejects.toThrow(LB_MESSAGES.noContainer('app'));
    const s = await ecs.services.update(scope(), { cluster: 'c', service: 'web', loadBalancers: [] });
    expect(s.loadBalancers).toEqual([]);
    expect(s.deployments.map((d) => [d.status, d.loadBalancers])).toEqual([
      ['PRIMARY', undefined],
      ['ACTIVE', [lb()]],
    ]);
  });
});
