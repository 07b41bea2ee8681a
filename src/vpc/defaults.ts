import { availabilityZones, defaultSubnetId, defaultVpcId, defaultVpcSecurityGroupId } from '../lib/zones.js';
import { formatCidr, nthBlock, parseCidr } from './cidr.js';
import { DEFAULTS_MADE, newId, type RuleRecord, type VpcRecord } from './records.js';
import type { Repo } from './repo.js';

/** The default VPC's block, as AWS gives every account. */
export const DEFAULT_VPC_CIDR = '172.31.0.0/16';

/** The egress rule a new security group starts with: everything, anywhere. */
export const allowAllEgress = (): RuleRecord => ({ ruleId: newId('sgr'), isEgress: true, ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' });

/**
 * Makes a VPC and what every VPC is made with: its default security group (all traffic in from
 * itself, all out), its main route table (the local route) and its default network ACL (allow all,
 * derived, not stored).
 */
export async function putVpc(repo: Repo, vpc: Pick<VpcRecord, 'vpcId' | 'cidrBlock' | 'isDefault' | 'instanceTenancy'>): Promise<VpcRecord> {
  // The default VPC's group has the id ELB gives a load balancer made without groups (lib/zones.ts).
  const record: VpcRecord = {
    ...vpc,
    cidrAssociationId: newId('vpc-cidr-assoc'),
    enableDnsSupport: true,
    enableDnsHostnames: vpc.isDefault,
    enableNetworkAddressUsageMetrics: false,
    defaultSecurityGroupId: vpc.isDefault ? defaultVpcSecurityGroupId(vpc.vpcId) : newId('sg'),
    mainRouteTableId: newId('rtb'),
    defaultNetworkAclId: newId('acl'),
  };
  await repo.vpcs.put(record.vpcId, record);
  await repo.groups.put(record.defaultSecurityGroupId, {
    groupId: record.defaultSecurityGroupId,
    groupName: 'default',
    description: 'default VPC security group',
    vpcId: record.vpcId,
    rules: [
      { ruleId: newId('sgr'), isEgress: false, ipProtocol: '-1', fromPort: -1, toPort: -1, referencedGroupId: record.defaultSecurityGroupId },
      allowAllEgress(),
    ],
  });
  await repo.routeTables.put(record.mainRouteTableId, {
    routeTableId: record.mainRouteTableId,
    vpcId: record.vpcId,
    routes: [{ destinationCidrBlock: record.cidrBlock, gatewayId: 'local', origin: 'CreateRouteTable' }],
    mainAssociationId: newId('rtbassoc'),
    associations: [],
  });
  return record;
}

/**
 * Gives the account its default VPC in the region on first use, as AWS gives every account one:
 * 172.31.0.0/16, a /20 default subnet per zone (public addresses on launch), an internet gateway
 * and a route to it in the main table. Made once: a deleted default VPC stays deleted.
 */
export async function ensureDefaultVpc(repo: Repo): Promise<void> {
  const marker = repo.tx.collection<{ vpcId: string }>(DEFAULTS_MADE);
  const key = `${repo.where.accountId}/${repo.where.region}`;
  if (await marker.get(key)) return;
  const vpcId = defaultVpcId(repo.where.accountId, repo.where.region);
  await marker.put(key, { vpcId });
  const vpc = await putVpc(repo, { vpcId, cidrBlock: DEFAULT_VPC_CIDR, isDefault: true, instanceTenancy: 'default' });
  const block = parseCidr(DEFAULT_VPC_CIDR)!;
  for (const [i, zone] of availabilityZones(repo.where.region).entries()) {
    const subnetId = defaultSubnetId(repo.where.accountId, zone);
    await repo.subnets.put(subnetId, {
      subnetId, vpcId, cidrBlock: formatCidr(nthBlock(block, 20, i)), availabilityZone: zone, defaultForAz: true, mapPublicIpOnLaunch: true,
    });
  }
  const gatewayId = newId('igw');
  await repo.gateways.put(gatewayId, { internetGatewayId: gatewayId, vpcId });
  const main = await repo.routeTables.require(vpc.mainRouteTableId);
  await repo.routeTables.put(main.routeTableId, { ...main, routes: [...main.routes, { destinationCidrBlock: '0.0.0.0/0', gatewayId, origin: 'CreateRoute' }] });
}
