import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildImage, pushImageLayout } from '../support/oci-image.js';
import { usePlatform } from '../support/platform.js';
import { isStopped, runTask, waitForTask } from './task-fixture.js';

const env = usePlatform();
let ecs: ECSClient;

beforeAll(() => {
  ecs = env.ecs();
});

describe('tasks pull from minato\'s own registry', () => {
  it('by the endpoint host and by the account\'s ECR host name', async () => {
    const endpoint = new URL(env.platform().endpoint);
    const ecr = new ECRClient({ endpoint: endpoint.origin, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/app' }));
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    ecr.destroy();
    const [username, password] = Buffer.from(authorizationData![0]!.authorizationToken!, 'base64').toString().split(':') as [string, string];
    expect(username).toBe('AWS');
    const built = await buildImage({ busybox: true, config: { Cmd: ['sh', '-c', 'exit 9'] } });
    await pushImageLayout(built.dir, `${endpoint.host}/team/app:1`, { auth: { username, password } });
    await built.cleanup();

    for (const image of [`${endpoint.host}/team/app:1`, '000000000000.dkr.ecr.us-east-1.amazonaws.com/team/app:1']) {
      const res = await runTask(ecs, 'own', `own-${image.length}`, [{ name: 'app', image }], { executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole' });
      const task = await waitForTask(ecs, 'own', res.tasks![0]!.taskArn!, isStopped);
      expect(task.containers?.[0]?.exitCode, image).toBe(9);
    }
  });
});
