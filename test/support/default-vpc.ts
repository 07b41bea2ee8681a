import type { NetworkConfiguration } from '@aws-sdk/client-ecs';
import { defaultSubnetId, defaultVpcId, defaultVpcSecurityGroupId } from '../../src/lib/zones.js';
import { signedQuery } from './signed-query.js';

/**
 * The default VPC the platform gives the test account in every region (EC2 makes its ids from
 * the account and region, see lib/zones.ts): awsvpc tasks name its subnets, which RunTask checks.
 */
export const TEST_ACCOUNT = '000000000000';

/** The default subnets of `region`'s zones a and b. */
export const defaultSubnets = (region = 'us-east-1'): string[] => [defaultSubnetId(TEST_ACCOUNT, `${region}a`), defaultSubnetId(TEST_ACCOUNT, `${region}b`)];

/** The default VPC's default security group (all traffic from itself, all out). */
export const defaultSecurityGroup = (region = 'us-east-1'): string => defaultVpcSecurityGroupId(defaultVpcId(TEST_ACCOUNT, region));

/** An awsvpc configuration in the default VPC, in its default security group. */
export const DEFAULT_NETWORK: NetworkConfiguration = { awsvpcConfiguration: { subnets: [defaultSubnets()[0]!], securityGroups: [defaultSecurityGroup()] } };

/**
 * Lets the host (and anything else) reach `port` of the tasks in the default group, as a rule on
 * AWS lets a client outside the group in: the group alone admits only its own members.
 */
export async function admitToDefaultGroup(endpoint: string, port: number, region = 'us-east-1'): Promise<void> {
  const r = await signedQuery(endpoint, 'ec2', [
    ['Action', 'AuthorizeSecurityGroupIngress'],
    ['Version', '2016-11-15'],
    ['GroupId', defaultSecurityGroup(region)],
    ['IpPermissions.1.IpProtocol', 'tcp'],
    ['IpPermissions.1.FromPort', String(port)],
    ['IpPermissions.1.ToPort', String(port)],
    ['IpPermissions.1.IpRanges.1.CidrIp', '0.0.0.0/0'],
  ]);
  if (r.status !== 200 && !r.text.includes('InvalidPermission.Duplicate')) throw new Error(`AuthorizeSecurityGroupIngress: ${r.status} ${r.text}`);
}
