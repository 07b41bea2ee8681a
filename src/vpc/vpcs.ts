import { availabilityZones, zoneIdOf, zoneOfSubnet } from '../lib/zones.js';
import { contains, formatCidr, overlaps, parseCidr, type Cidr } from './cidr.js';
import { putVpc } from './defaults.js';
import { combination, conflict, dependencyViolation, invalidValue, limitExceeded, missingParameter, rangeError } from './errors.js';
import { LIMITS, newId, type SubnetRecord, type VpcRecord } from './records.js';
import type { Repo } from './repo.js';

/** VPCs and subnets: creation with EC2's CIDR rules, attributes, deletion with its dependency checks. */

function readCidr(text: string | undefined, parameter = 'cidrBlock'): Cidr {
  if (text === undefined) throw missingParameter(`The request must contain the parameter ${parameter}`);
  const cidr = parseCidr(text);
  if (!cidr) throw invalidValue(`Value (${text}) for parameter ${parameter} is invalid. This is not a valid CIDR block.`);
  return cidr;
}

export interface CreateVpcInput {
  CidrBlock?: string;
  InstanceTenancy?: string;
  AmazonProvidedIpv6CidrBlock?: boolean;
  Ipv4IpamPoolId?: string;
  Ipv6IpamPoolId?: string;
}

export async function createVpc(repo: Repo, input: CreateVpcInput): Promise<VpcRecord> {
  if (input.AmazonProvidedIpv6CidrBlock || input.Ipv4IpamPoolId !== undefined || input.Ipv6IpamPoolId !== undefined) {
    throw invalidValue('IPv6 and IPAM-allocated VPC blocks are not supported by this endpoint; give an IPv4 CidrBlock.');
  }
  const cidr = readCidr(input.CidrBlock);
  if (cidr.prefix < 16 || cidr.prefix > 28) throw rangeError('vpc-range', `The CIDR '${input.CidrBlock}' is invalid.`);
  if ((await repo.vpcs.all()).length >= LIMITS.vpcsPerRegion) throw limitExceeded('vpc', 'The maximum number of VPCs has been reached.');
  const tenancy = input.InstanceTenancy ?? 'default';
  if (tenancy !== 'default') throw invalidValue(`Value (${tenancy}) for parameter instanceTenancy is invalid. Only 'default' tenancy is supported by this endpoint.`);
  return putVpc(repo, { vpcId: newId('vpc'), cidrBlock: formatCidr(cidr), isDefault: false, instanceTenancy: tenancy });
}

/** DeleteVpc: refused while anything but the VPC's own default resources is in it. */
export async function deleteVpc(repo: Repo, vpcId: string): Promise<void> {
  const vpc = await repo.vpcs.require(vpcId);
  const inside = [
    ...(await repo.subnets.all()).filter((s) => s.vpcId === vpcId).map((s) => s.subnetId),
    ...(await repo.groups.all()).filter((g) => g.vpcId === vpcId && g.groupId !== vpc.defaultSecurityGroupId).map((g) => g.groupId),
    ...(await repo.gateways.all()).filter((g) => g.vpcId === vpcId).map((g) => g.internetGatewayId),
    ...(await repo.routeTables.all()).filter((t) => t.vpcId === vpcId && t.routeTableId !== vpc.mainRouteTableId).map((t) => t.routeTableId),
  ];
  if (inside.length > 0) throw dependencyViolation(`The vpc '${vpcId}' has dependencies and cannot be deleted.`);
  for (const id of [vpc.defaultSecurityGroupId, vpc.mainRouteTableId, vpc.defaultNetworkAclId, vpcId]) await repo.setTags(id, []);
  await repo.groups.delete(vpc.defaultSecurityGroupId);
  await repo.routeTables.delete(vpc.mainRouteTableId);
  await repo.vpcs.delete(vpcId);
}

type BooleanValue = { Value?: boolean } | undefined;
export interface ModifyVpcAttributeInput {
  VpcId: string;
  EnableDnsSupport?: BooleanValue;
  EnableDnsHostnames?: BooleanValue;
  EnableNetworkAddressUsageMetrics?: BooleanValue;
}

/** ModifyVpcAttribute: one attribute per call, as EC2 takes it. */
export async function modifyVpcAttribute(repo: Repo, input: ModifyVpcAttributeInput): Promise<void> {
  const vpc = await repo.vpcs.require(input.VpcId);
  const given = (['EnableDnsSupport', 'EnableDnsHostnames', 'EnableNetworkAddressUsageMetrics'] as const).filter((k) => input[k] !== undefined);
  if (given.length !== 1) throw combination('Fields for multiple attribute types specified: exactly one attribute may be modified per request.');
  const name = given[0]!;
  const value = input[name]?.Value;
  if (value === undefined) throw missingParameter(`The request must contain the parameter ${name}.Value`);
  const key = (name[0]!.toLowerCase() + name.slice(1)) as 'enableDnsSupport' | 'enableDnsHostnames' | 'enableNetworkAddressUsageMetrics';
  await repo.vpcs.put(vpc.vpcId, { ...vpc, [key]: value });
}

export interface CreateSubnetInput {
  VpcId: string;
  CidrBlock?: string;
  AvailabilityZone?: string;
  AvailabilityZoneId?: string;
  Ipv6CidrBlock?: string;
  Ipv6Native?: boolean;
}

function zoneFor(region: string, input: CreateSubnetInput, taken: number): string {
  const zones = availabilityZones(region);
  if (input.AvailabilityZone !== undefined && input.AvailabilityZoneId !== undefined) {
    throw combination('Only one of AvailabilityZone or AvailabilityZoneId may be given.');
  }
  if (input.AvailabilityZoneId !== undefined) {
    const zone = zones.find((z) => zoneIdOf(z) === input.AvailabilityZoneId);
    if (!zone) throw invalidValue(`Value (${input.AvailabilityZoneId}) for parameter availabilityZoneId is invalid. Subnets can currently only be created in the following availability zones: ${zones.map(zoneIdOf).join(', ')}.`);
    return zone;
  }
  if (input.AvailabilityZone !== undefined) {
    if (!zones.includes(input.AvailabilityZone)) {
      throw invalidValue(`Value (${input.AvailabilityZone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.join(', ')}.`);
    }
    return input.AvailabilityZone;
  }
  return zones[taken % zones.length]!;
}

/** CreateSubnet: a block inside the VPC's, overlapping none of its subnets, in one of the region's zones. */
export async function createSubnet(repo: Repo, input: CreateSubnetInput): Promise<SubnetRecord> {
  if (input.Ipv6CidrBlock !== undefined || input.Ipv6Native) throw invalidValue('IPv6 subnets are not supported by this endpoint.');
  const vpc = await repo.vpcs.require(input.VpcId);
  const cidr = readCidr(input.CidrBlock);
  if (cidr.prefix < 16 || cidr.prefix > 28 || !contains(parseCidr(vpc.cidrBlock)!, cidr)) {
    throw rangeError('subnet-range', `The CIDR '${input.CidrBlock}' is invalid.`);
  }
  const siblings = (await repo.subnets.all()).filter((s) => s.vpcId === vpc.vpcId);
  if (siblings.some((s) => overlaps(parseCidr(s.cidrBlock)!, cidr))) {
    throw conflict('subnet', `The CIDR '${input.CidrBlock}' conflicts with another subnet`);
  }
  if (siblings.length >= LIMITS.subnetsPerVpc) throw limitExceeded('subnet', 'The maximum number of subnets has been reached.');
  const zone = zoneFor(repo.where.region, input, siblings.length);
  // The id is drawn until ELB's zone of it (a function of the id) is the zone asked for.
  let subnetId = newId('subnet');
  while (zoneOfSubnet(repo.where.region, subnetId) !== zone) subnetId = newId('subnet');
  const subnet: SubnetRecord = { subnetId, vpcId: vpc.vpcId, cidrBlock: formatCidr(cidr), availabilityZone: zone, defaultForAz: false, mapPublicIpOnLaunch: false };
  await repo.subnets.put(subnetId, subnet);
  return subnet;
}

/** DeleteSubnet: its route table association goes with it. */
export async function deleteSubnet(repo: Repo, subnetId: string): Promise<void> {
  await repo.subnets.require(subnetId);
  for (const table of await repo.routeTables.all()) {
    if (!table.associations.some((a) => a.subnetId === subnetId)) continue;
    await repo.routeTables.put(table.routeTableId, { ...table, associations: table.associations.filter((a) => a.subnetId !== subnetId) });
  }
  await repo.setTags(subnetId, []);
  await repo.subnets.delete(subnetId);
}

export interface ModifySubnetAttributeInput {
  SubnetId: string;
  MapPublicIpOnLaunch?: BooleanValue;
  [other: string]: unknown;
}

/** ModifySubnetAttribute: MapPublicIpOnLaunch; the IPv6 and DNS-name attributes are refused by name. */
export async function modifySubnetAttribute(repo: Repo, input: ModifySubnetAttributeInput): Promise<void> {
  const subnet = await repo.subnets.require(input.SubnetId);
  const others = Object.keys(input).filter((k) => k !== 'SubnetId' && k !== 'MapPublicIpOnLaunch' && k !== 'DryRun');
  if (others.length > 0) throw invalidValue(`The subnet attribute ${others.join(', ')} is not supported by this endpoint.`);
  const value = input.MapPublicIpOnLaunch?.Value;
  if (value === undefined) throw missingParameter('The request must contain the parameter MapPublicIpOnLaunch.Value');
  await repo.subnets.put(subnet.subnetId, { ...subnet, mapPublicIpOnLaunch: value });
}
