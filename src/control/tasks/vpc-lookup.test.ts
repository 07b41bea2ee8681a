import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import { resolveAwsVpc, type VpcLookup } from './vpc-lookup.js';

const where = { accountId: '000000000000', region: 'us-east-1' };
const lookup: VpcLookup = {
  find: async (_where, subnetIds, groupIds) => {
    const subnets = [{ subnetId: 'subnet-a', vpcId: 'vpc-1' }, { subnetId: 'subnet-b', vpcId: 'vpc-1' }, { subnetId: 'subnet-z', vpcId: 'vpc-2' }];
    const groups = [{ groupId: 'sg-default', vpcId: 'vpc-1' }, { groupId: 'sg-web', vpcId: 'vpc-1' }, { groupId: 'sg-other', vpcId: 'vpc-2' }];
    return { subnets: subnets.filter((s) => subnetIds.includes(s.subnetId)), groups: groups.filter((g) => groupIds.includes(g.groupId)), defaultGroups: { 'vpc-1': 'sg-default' } };
  },
};

const refusal = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(DomainError);
  return (err as DomainError).message;
};

describe('awsvpc configurations against EC2 networking', () => {
  it('takes the groups named, or the VPC\'s default group when none is', async () => {
    expect(await resolveAwsVpc(lookup, where, { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-web'] })).toEqual({ vpcId: 'vpc-1', securityGroups: ['sg-web'] });
    expect(await resolveAwsVpc(lookup, where, { subnets: ['subnet-a'] })).toEqual({ vpcId: 'vpc-1', securityGroups: ['sg-default'] });
  });

  it('refuses unknown subnets and groups with ECS\'s texts', async () => {
    expect(await refusal(resolveAwsVpc(lookup, where, { subnets: ['subnet-a', 'subnet-12345678'] }))).toBe(
      "Error retrieving subnet information for [subnet-12345678]: The subnet ID 'subnet-12345678' does not exist (ErrorCode: InvalidSubnetID.NotFound)",
    );
    expect(await refusal(resolveAwsVpc(lookup, where, { subnets: ['subnet-a'], securityGroups: ['sg-12345678'] }))).toMatch(/^Error retrieving security group information for \[sg-12345678\]: The security group 'sg-12345678' does not exist/);
  });

  it('refuses subnets of two VPCs, and groups of another VPC than the subnets\'', async () => {
    expect(await refusal(resolveAwsVpc(lookup, where, { subnets: ['subnet-a', 'subnet-z'] }))).toMatch(/same VPC/);
    expect(await refusal(resolveAwsVpc(lookup, where, { subnets: ['subnet-a'], securityGroups: ['sg-other'] }))).toMatch(/sg-other.*vpc-1/);
    // vpc-2 has no default group recorded here.
    expect(await refusal(resolveAwsVpc(lookup, where, { subnets: ['subnet-z'] }))).toMatch(/no default security group/);
  });
});
