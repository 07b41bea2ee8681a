import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { isStopped, runTask, startImageFixture, waitForTask, type ImageFixture } from './task-fixture.js';

const env = usePlatform();
let ecs: ECSClient;
let fixture: ImageFixture;

beforeAll(async () => {
  ecs = env.ecs();
  fixture = await startImageFixture();
});
afterAll(() => fixture?.stop());

/** ECS requires an execution role for secrets; minato records it (there is no IAM to consult). */
const ROLE = 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole';

const clientConfig = () => ({
  endpoint: env.platform().endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

describe('secrets injected into tasks', () => {
  it('sets Secrets Manager (whole and JSON key) and SSM values as environment variables', async () => {
    const sm = new SecretsManagerClient(clientConfig());
    const ssm = new SSMClient(clientConfig());
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'db', SecretString: JSON.stringify({ user: 'app', password: 'pa55' }) }));
    await ssm.send(new PutParameterCommand({ Name: '/app/token', Value: 't0ken', Type: 'SecureString' }));
    const res = await runTask(ecs, 'secrets', 'with-secrets', [
      {
        name: 'app',
        image: fixture.image,
        command: ['sh', '-c', 'test "$DB_PASSWORD" = pa55 && test "$TOKEN" = t0ken && test "$(echo "$DB" | grep -c pa55)" = 1 && exit 42'],
        secrets: [
          { name: 'DB_PASSWORD', valueFrom: `${ARN}:password::` },
          { name: 'DB', valueFrom: ARN },
          { name: 'TOKEN', valueFrom: '/app/token' },
        ],
      },
    ], { executionRoleArn: ROLE });
    const task = await waitForTask(ecs, 'secrets', res.tasks![0]!.taskArn!, isStopped);
    expect(task.containers?.[0]?.exitCode).toBe(42);
    sm.destroy();
    ssm.destroy();
  });

  it('stops the task with ResourceInitializationError and starts nothing when a secret is missing', async () => {
    const res = await runTask(ecs, 'secrets', 'missing-secret', [
      { name: 'app', image: fixture.image, command: ['true'], secrets: [{ name: 'X', valueFrom: '/does/not/exist' }] },
    ], { executionRoleArn: ROLE });
    const task = await waitForTask(ecs, 'secrets', res.tasks![0]!.taskArn!, isStopped);
    expect(task.stopCode).toBe('TaskFailedToStart');
    expect(task.stoppedReason).toMatch(/^ResourceInitializationError: unable to pull secrets or registry auth/);
    expect(task.containers?.[0]?.exitCode).toBeUndefined();
    expect(task.containers?.[0]?.runtimeId).toBeUndefined();
  });
});
