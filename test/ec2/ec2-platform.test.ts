import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const home = mkdtempSync(join(tmpdir(), 'minato-ec2-home-'));
let platform: TestPlatform | undefined;

const aws = async <T>(...args: string[]): Promise<T> => {
  const r = await awsCli(platform!.endpoint, home, args);
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};

beforeAll(async () => {
  platform = await startTestPlatform();
}, 60_000);

afterAll(async () => {
  await platform?.dispose();
  rmSync(home, { recursive: true, force: true });
});

describe('EC2 networking in the platform', () => {
  it('serves the default VPC, whose subnets a load balancer places in the zones EC2 gives them', async () => {
    const subnets = await aws<Array<[string, string, string]>>('ec2', 'describe-subnets', '--filters', 'Name=default-for-az,Values=true', '--query', 'Subnets[].[SubnetId, AvailabilityZone, VpcId]');
    expect(subnets).toHaveLength(6);
    const [a, b] = subnets.sort((x, y) => x[1].localeCompare(y[1]));
    const lb = await aws<{ LoadBalancers: Array<{ VpcId: string; AvailabilityZones: Array<{ ZoneName: string; SubnetId: string }> }> }>(
      'elbv2', 'create-load-balancer', '--name', 'zones', '--subnets', a![0], b![0],
    );
    expect(lb.LoadBalancers[0]!.VpcId).toBe(a![2]);
    expect(lb.LoadBalancers[0]!.AvailabilityZones.map((z) => [z.SubnetId, z.ZoneName]).sort()).toEqual([[a![0], a![1]], [b![0], b![1]]].sort());
  }, 60_000);
});
