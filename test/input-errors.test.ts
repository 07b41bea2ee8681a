import { ECRClient, PutImageCommand, CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUOTED_VALUE_LIMIT } from '../src/aws-model/truncate-value.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { rawCall } from './support/signed-fetch.js';
import { StateDigest } from './support/state-digest.js';

const ECS = 'AmazonEC2ContainerServiceV20141113';
const ECR = 'AmazonEC2ContainerRegistry_V20150921';
const LOGS = 'Logs_20140328';
const NOT_NULL = 'Member must satisfy constraint: [Member must not be null]';

let platform: TestPlatform;
let digest: StateDigest;
beforeAll(async () => {
  platform = await startTestPlatform();
  digest = new StateDigest(platform.config.dataDir);
});
afterAll(async () => {
  digest?.close();
  await platform?.dispose();
});

describe('JSON null in a request', () => {
  it.each([
    ['ECS DescribeClusters clusters:[null]', 'ecs', `${ECS}.DescribeClusters`, '{"clusters":[null]}', 'InvalidParameterException', `Value '[null]' at 'clusters' failed to satisfy constraint: ${NOT_NULL}`],
    ['ECS CreateCluster tags:[null]', 'ecs', `${ECS}.CreateCluster`, '{"clusterName":"n","tags":[null]}', 'InvalidParameterException', `at 'tags' failed to satisfy constraint: ${NOT_NULL}`],
    ['Logs PutLogEvents logEvents:[…, null]', 'logs', `${LOGS}.PutLogEvents`, '{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":1,"message":"m"},null]}', 'InvalidParameterException', `at 'logEvents' failed to satisfy constraint: ${NOT_NULL}`],
    ['ECR TagResource tags:[null]', 'ecr', `${ECR}.TagResource`, '{"resourceArn":"arn:aws:ecr:us-east-1:000000000000:repository/r","tags":[null]}', 'InvalidParameterException', `at 'tags' failed to satisfy constraint: ${NOT_NULL}`],
    ['Secrets Manager CreateSecret Tags:[null]', 'secretsmanager', 'secretsmanager.CreateSecret', '{"Name":"s","SecretString":"v","Tags":[null]}', 'ValidationException', `at 'tags' failed to satisfy constraint: ${NOT_NULL}`],
    ['SSM GetParameters Names:[null]', 'ssm', 'AmazonSSM.GetParameters', '{"Names":[null]}', 'ValidationException', `Value '[null]' at 'names' failed to satisfy constraint: ${NOT_NULL}`],
    ['SSM AddTagsToResource a null tag', 'ssm', 'AmazonSSM.AddTagsToResource', '{"ResourceType":"Parameter","ResourceId":"p","Tags":[{"Key":"k","Value":"v"},null]}', 'ValidationException', `at 'tags' failed to satisfy constraint: ${NOT_NULL}`],
    ['a literal null body with a required member', 'ecs', `${ECS}.DescribeTaskDefinition`, 'null', 'InvalidParameterException', "Value null at 'taskDefinition' failed to satisfy constraint: Member must not be null"],
    ['a required member set to null', 'logs', `${LOGS}.CreateLogGroup`, '{"logGroupName":null}', 'InvalidParameterException', "Value null at 'logGroupName' failed to satisfy constraint: Member must not be null"],
  ])('%s is a 400 with the validation exception, storing nothing', async (_label, service, target, body, type, message) => {
    const before = digest.take();
    const res = await rawCall(platform.endpoint, { target, body, service });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ __type: type, message: expect.stringContaining(message) });
    expect(res.json?.message).toMatch(/^1 validation error detected: /);
    expect(digest.take()).toBe(before);
  });

  it('reads a null optional member as absent and a null body as {}', async () => {
    const created = await rawCall(platform.endpoint, { target: `${ECS}.CreateCluster`, body: '{"clusterName":"nulls","tags":null,"settings":null}' });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ cluster: { clusterName: 'nulls', tags: [] } });
    const listed = await rawCall(platform.endpoint, { target: `${ECS}.ListClusters`, body: 'null' });
    expect(listed.status).toBe(200);
    expect(listed.json?.clusterArns).toContain('arn:aws:ecs:us-east-1:000000000000:cluster/nulls');
  });

  it('answers a wrongly typed list element with SerializationException', async () => {
    const res = await rawCall(platform.endpoint, { target: `${ECS}.DescribeClusters`, body: '{"clusters":["a",7]}' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ __type: 'SerializationException', message: 'NUMBER_VALUE can not be converted to a String' });
  });
});

describe('long values in error messages', () => {
  it('quotes a 20 MB image manifest cut to the first characters and an ellipsis', async () => {
    const ecr = new ECRClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'big' }));
    const manifest = 'm'.repeat(20 * 1024 * 1024);
    const err = await ecr.send(new PutImageCommand({ repositoryName: 'big', imageManifest: manifest })).catch((e: unknown) => e as Error & { $metadata: { httpStatusCode: number } });
    expect(err).toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
    expect((err as Error).message).toBe(
      `1 validation error detected: Value '${'m'.repeat(QUOTED_VALUE_LIMIT)}...' at 'imageManifest' failed to satisfy constraint: Member must have length less than or equal to 4194304`,
    );
    ecr.destroy();
  }, 60_000);

  it('keeps the error small for a manifest the model allows but the registry cannot read', async () => {
    const res = await rawCall(platform.endpoint, {
      target: `${ECR}.PutImage`,
      service: 'ecr',
      body: JSON.stringify({ repositoryName: 'big', imageManifest: `{${'x'.repeat(3 * 1024 * 1024)}` }),
    });
    expect(res.status).toBe(400);
    expect(res.text.length).toBeLessThan(2048);
  }, 60_000);
});
