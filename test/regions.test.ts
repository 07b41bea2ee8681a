import { CreateClusterCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsRegionNames } from '../src/server/regions.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// Every region the test suite signs for; each must be served without any flag.
const REGIONS_THE_TESTS_USE = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-west-3', 'eu-central-1', 'ap-northeast-1', 'ap-south-1', 'ap-southeast-2'];

describe('regions', () => {
  let plain: TestPlatform;
  let extended: TestPlatform;
  beforeAll(async () => {
    [plain, extended] = await Promise.all([startTestPlatform(), startTestPlatform({ extraRegions: ['xx-fake-9'] })]);
  });
  afterAll(async () => {
    await Promise.all([plain?.dispose(), extended?.dispose()]);
  });

  it('lists the regions the tests use among AWS\'s', () => {
    for (const region of REGIONS_THE_TESTS_USE) expect(awsRegionNames()).toContain(region);
  });

  it('refuses a call signed for a region AWS does not have, naming it, and stores nothing', async () => {
    const fake = plain.ecs('xx-fake-9');
    await expect(fake.send(new CreateClusterCommand({ clusterName: 'nowhere' }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringContaining("Credential should be scoped to a valid region, not 'xx-fake-9'."),
      $metadata: { httpStatusCode: 400 },
    });
    fake.destroy();
    for (const region of ['us-east-1', 'ap-northeast-1']) {
      const client = plain.ecs(region);
      expect((await client.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
      client.destroy();
    }
  });

  it('serves a region added with extraRegions (--extra-regions), and the AWS ones still', async () => {
    const fake = extended.ecs('xx-fake-9');
    const { cluster } = await fake.send(new CreateClusterCommand({ clusterName: 'custom' }));
    expect(cluster?.clusterArn).toBe('arn:aws:ecs:xx-fake-9:000000000000:cluster/custom');
    expect((await fake.send(new ListClustersCommand({}))).clusterArns).toEqual([cluster?.clusterArn]);
    fake.destroy();
    const tokyo = extended.ecs('ap-northeast-1');
    expect((await tokyo.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    tokyo.destroy();
  });
});
