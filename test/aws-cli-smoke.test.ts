import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli } from './support/aws-cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

let platform: TestPlatform;
let work: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  work = mkdtempSync(join(tmpdir(), 'minato-cli-'));
});
afterAll(async () => {
  await platform.dispose();
  rmSync(work, { recursive: true, force: true });
});

/** Runs the AWS CLI against the platform under test. */
const aws = (...args: string[]) => awsCli(platform.endpoint, work, args);

describe('the AWS CLI against minato', () => {
  it('gets the caller identity', async () => {
    const res = await aws('sts', 'get-caller-identity');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ Account: '000000000000' });
  });

  it('creates, lists (paginated) and describes clusters', async () => {
    for (const name of ['smoke-a', 'smoke-b', 'smoke-c']) {
      expect((await aws('ecs', 'create-cluster', '--cluster-name', name)).code).toBe(0);
    }
    const list = await aws('ecs', 'list-clusters', '--page-size', '1');
    expect(JSON.parse(list.stdout).clusterArns).toHaveLength(3);
    const described = JSON.parse((await aws('ecs', 'describe-clusters', '--clusters', 'smoke-a', 'nope')).stdout);
    expect(described.clusters[0].clusterName).toBe('smoke-a');
    expect(described.failures[0].reason).toBe('MISSING');
  });

  it('registers and describes a task definition from --cli-input-json', async () => {
    const file = join(work, 'td.json');
    writeFileSync(
      file,
      JSON.stringify({
        family: 'cli-web',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '512',
        memory: '1024',
        containerDefinitions: [{ name: 'web', image: 'nginx', portMappings: [{ containerPort: 80 }] }],
      }),
    );
    const reg = await aws('ecs', 'register-task-definition', '--cli-input-json', `file://${file}`);
    expect(reg.code).toBe(0);
    expect(JSON.parse(reg.stdout).taskDefinition.taskDefinitionArn).toBe(
      'arn:aws:ecs:us-east-1:000000000000:task-definition/cli-web:1',
    );
    const desc = JSON.parse((await aws('ecs', 'describe-task-definition', '--task-definition', 'cli-web:1')).stdout);
    expect(desc.taskDefinition.cpu).toBe('512');
  });

  it('prints AWS\'s error format and exits non-zero on a service error', async () => {
    const res = await aws('ecs', 'delete-cluster', '--cluster', 'nope');
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim()).toBe(
      'An error occurred (ClusterNotFoundException) when calling the DeleteCluster operation: Cluster not found.',
    );
    const bad = await aws('ecs', 'register-task-definition', '--family', 'x', '--network-mode', 'awsvpc',
      '--requires-compatibilities', 'FARGATE', '--cpu', '256', '--memory', '4096',
      '--container-definitions', '[{"name":"a","image":"b"}]');
    expect(bad.stderr).toContain('An error occurred (ClientException) when calling the RegisterTaskDefinition operation: No Fargate configuration exists for given values');
  });
});
