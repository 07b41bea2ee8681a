import {
  ClientException,
  CreateClusterCommand,
  CreateServiceCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from './support/platform.js';

// Members ECS acts on and this endpoint does not are refused rather than accepted and dropped; the
// ones it can honour exactly are honoured. The refusal is UnsupportedFeatureException where ECS
// lists that error for the operation, ClientException (ECS's catch-all) elsewhere.
const env = usePlatform();
let ecs: ECSClient;
beforeAll(async () => {
  ecs = env.ecs();
  await ecs.send(new CreateClusterCommand({ clusterName: 'na' }));
});

const refusal = (message: string) => expect.objectContaining({ name: 'ClientException', message }) as unknown;

describe('ListTasks and ListServices filters', () => {
  it('refuses ListTasks daemonName: there are no ECS daemons here', async () => {
    const err = await ecs.send(new ListTasksCommand({ cluster: 'na', daemonName: 'agent' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientException);
    expect(err).toEqual(refusal('daemonName (this endpoint has no ECS daemons) is not supported by this endpoint yet.'));
  });

  it('filters ListServices by resourceManagementType: every service is CUSTOMER-managed', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'na', containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64 }] }));
    await ecs.send(new CreateServiceCommand({ cluster: 'na', serviceName: 'idle', taskDefinition: 'na', desiredCount: 0 }));
    const arn = 'arn:aws:ecs:us-east-1:000000000000:service/na/idle';
    expect((await ecs.send(new ListServicesCommand({ cluster: 'na', resourceManagementType: 'CUSTOMER' }))).serviceArns).toEqual([arn]);
    expect((await ecs.send(new ListServicesCommand({ cluster: 'na', resourceManagementType: 'ECS' }))).serviceArns).toEqual([]);
  });
});

describe('RegisterTaskDefinition', () => {
  const fargate = { family: 'na-td', requiresCompatibilities: ['FARGATE' as const], networkMode: 'awsvpc' as const, cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'busybox' }] };

  it('refuses an App Mesh proxy configuration and a Windows family, and registers nothing', async () => {
    const proxy = await ecs
      .send(new RegisterTaskDefinitionCommand({ ...fargate, proxyConfiguration: { type: 'APPMESH', containerName: 'app', properties: [{ name: 'AppPorts', value: '80' }] } }))
      .catch((e: unknown) => e);
    expect(proxy).toEqual(refusal('proxyConfiguration (App Mesh proxy wiring) is not supported by this endpoint yet.'));
    const windows = await ecs
      .send(new RegisterTaskDefinitionCommand({ ...fargate, runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2019_FULL' } }))
      .catch((e: unknown) => e);
    expect(windows).toEqual(refusal('runtimePlatform.operatingSystemFamily WINDOWS_SERVER_2019_FULL (Windows containers; only LINUX runs here) is not supported by this endpoint yet.'));
    expect((await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'na-td' }))).taskDefinitionArns).toEqual([]);
  });

  it('accepts ephemeralStorage and LINUX, and shows them back', async () => {
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({ ...fargate, ephemeralStorage: { sizeInGiB: 30 }, runtimePlatform: { operatingSystemFamily: 'LINUX' }, enableFaultInjection: false }),
    );
    expect(taskDefinition).toMatchObject({ ephemeralStorage: { sizeInGiB: 30 }, runtimePlatform: { operatingSystemFamily: 'LINUX' } });
  });
});
