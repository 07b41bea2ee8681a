import {
  ClientException,
  CreateClusterCommand,
  CreateServiceCommand,
  ListServicesCommand,
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
