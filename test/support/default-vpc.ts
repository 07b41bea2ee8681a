import type { NetworkConfiguration } from '@aws-sdk/client-ecs';
import { defaultSubnetId, defaultVpcId, defaultVpcSecurityGroupId } from '../../src/lib/zones.js';

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
