import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { buildImage, pushImageLayout } from '../support/oci-image.js';
import { usePlatform } from '../support/platform.js';
import { isStopped, runTask, waitForTask } from './task-fixture.js';

const env = usePlatform();
let ecs: ECSClient;
let registry: DistributionRegistry;
const user = { username: 'puller', password: 's3cret-pw' };
const ROLE = 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole';

beforeAll(async () => {
  ecs = env.ecs();
  registry = await startDistributionRegistry({ htpasswd: user });
  const built = await buildImage({ busybox: true, config: { Cmd: ['sh', '-c', 'exit 5'] } });
  await pushImageLayout(built.dir, `${registry.host}/private/app:1`, { auth: user });
  await built.cleanup();
});
afterAll(() => registry?.stop());

describe('repositoryCredentials', () => {
  it('pulls from a private registry with credentials from Secrets Manager, and fails to start without them', async () => {
    const sm = new SecretsManagerClient({ endpoint: env.platform().endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'registry-auth', SecretString: JSON.stringify(user) }));
    sm.destroy();
    const image = `${registry.host}/private/app:1`;

    const ok = await runTask(ecs, 'private', 'private-ok', [{ name: 'app', image, repositoryCredentials: { credentialsParameter: ARN } }], { executionRoleArn: ROLE });
    const ran = await waitForTask(ecs, 'private', ok.tasks![0]!.taskArn!, isStopped);
    expect(ran.containers?.[0]?.exitCode).toBe(5);

    const anonymous = await runTask(ecs, 'private', 'private-anon', [{ name: 'app', image }]);
    const refused = await waitForTask(ecs, 'private', anonymous.tasks![0]!.taskArn!, isStopped);
    expect(refused.stoppedReason).toMatch(/^CannotPullContainerError/);

    const missing = await runTask(
      ecs,
      'private',
      'private-missing',
      [{ name: 'app', image, repositoryCredentials: { credentialsParameter: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:nope-AbCdEf' } }],
      { executionRoleArn: ROLE },
    );
    const failed = await waitForTask(ecs, 'private', missing.tasks![0]!.taskArn!, isStopped);
    expect(failed.stoppedReason).toMatch(/^ResourceInitializationError: unable to pull secrets or registry auth/);
  });
});
