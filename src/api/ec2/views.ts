import { formatArn } from '../../lib/arn.js';
import { zoneIdOf } from '../../lib/zones.js';
import { parseCidr, usableAddresses } from '../../vpc/cidr.js';
import type { Tag } from '../../vpc/filters.js';
import type { Described } from '../../vpc/network.js';
import type { InternetGatewayRecord, RouteTableRecord, RuleRecord, SecurityGroupRecord, SubnetRecord, VpcRecord, Where } from '../../vpc/records.js';

/** Records as EC2's wire shapes (member names of the model; the protocol writes their locationNames). */

const tagSet = (tags: readonly Tag[]) => (tags.length > 0 ? { Tags: tags } : {});

export const vpcView = ({ record: v, tags }: Described<VpcRecord>, where: Where) => ({
  VpcId: v.vpcId,
  OwnerId: where.accountId,
  State: 'available',
  CidrBlock: v.cidrBlock,
  CidrBlockAssociationSet: [{ AssociationId: v.cidrAssociationId, CidrBlock: v.cidrBlock, CidrBlockState: { State: 'associated' } }],
  DhcpOptionsId: 'default',
  InstanceTenancy: v.instanceTenancy,
  IsDefault: v.isDefault,
  BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
  ...tagSet(tags),
});

export const subnetView = ({ record: s, tags }: Described<SubnetRecord>, where: Where) => ({
  SubnetId: s.subnetId,
  SubnetArn: formatArn('ec2', where.region, where.accountId, `subnet/${s.subnetId}`),
  VpcId: s.vpcId,
  OwnerId: where.accountId,
  State: 'available',
  CidrBlock: s.cidrBlock,
  AvailableIpAddressCount: usableAddresses(parseCidr(s.cidrBlock)!),
  AvailabilityZone: s.availabilityZone,
  AvailabilityZoneId: zoneIdOf(s.availabilityZone),
  DefaultForAz: s.defaultForAz,
  MapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
  MapCustomerOwnedIpOnLaunch: false,
  AssignIpv6AddressOnCreation: false,
  Ipv6CidrBlockAssociationSet: [],
  EnableDns64: false,
  Ipv6Native: false,
  PrivateDnsNameOptionsOnLaunch: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
  BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
  ...tagSet(tags),
});

/** Rules grouped as IpPermissions: one permission per protocol and port range, its peers listed. */
export function ipPermissions(rules: readonly RuleRecord[], owner: string) {
  const byRange = new Map<string, Array<RuleRecord>>();
  for (const r of rules) {
    const key = `${r.ipProtocol}|${r.fromPort}|${r.toPort}`;
    byRange.set(key, [...(byRange.get(key) ?? []), r]);
  }
  return [...byRange.values()].map((group) => {
    const first = group[0]!;
    const desc = (r: RuleRecord) => (r.description !== undefined ? { Description: r.description } : {});
    return {
      IpProtocol: first.ipProtocol,
      // EC2 gives no ports for "all protocols".
      ...(first.ipProtocol !== '-1' && { FromPort: first.fromPort, ToPort: first.toPort }),
      IpRanges: group.filter((r) => r.cidrIpv4).map((r) => ({ CidrIp: r.cidrIpv4, ...desc(r) })),
      Ipv6Ranges: group.filter((r) => r.cidrIpv6).map((r) => ({ CidrIpv6: r.cidrIpv6, ...desc(r) })),
      PrefixListIds: group.filter((r) => r.prefixListId).map((r) => ({ PrefixListId: r.prefixListId, ...desc(r) })),
      UserIdGroupPairs: group.filter((r) => r.referencedGroupId).map((r) => ({ GroupId: r.referencedGroupId, UserId: owner, ...desc(r) })),
    };
  });
}

export const groupArn = (where: Where, groupId: string) => formatArn('ec2', where.region, where.accountId, `security-group/${groupId}`);

export const securityGroupView = ({ record: g, tags }: Described<SecurityGroupRecord>, where: Where) => ({
  GroupId: g.groupId,
  GroupName: g.groupName,
  Description: g.description,
  VpcId: g.vpcId,
  OwnerId: where.accountId,
  SecurityGroupArn: groupArn(where, g.groupId),
  IpPermissions: ipPermissions(g.rules.filter((r) => !r.isEgress), where.accountId),
  IpPermissionsEgress: ipPermissions(g.rules.filter((r) => r.isEgress), where.accountId),
  ...tagSet(tags),
});

export const ruleView = (r: RuleRecord, groupId: string, tags: readonly Tag[], where: Where) => ({
  SecurityGroupRuleId: r.ruleId,
  GroupId: groupId,
  GroupOwnerId: where.accountId,
  IsEgress: r.isEgress,
  IpProtocol: r.ipProtocol,
  FromPort: r.fromPort,
  ToPort: r.toPort,
  ...(r.cidrIpv4 !== undefined && { CidrIpv4: r.cidrIpv4 }),
  ...(r.cidrIpv6 !== undefined && { CidrIpv6: r.cidrIpv6 }),
  ...(r.prefixListId !== undefined && { PrefixListId: r.prefixListId }),
  ...(r.referencedGroupId !== undefined && { ReferencedGroupInfo: { GroupId: r.referencedGroupId, UserId: where.accountId } }),
  ...(r.description !== undefined && { Description: r.description }),
  SecurityGroupRuleArn: formatArn('ec2', where.region, where.accountId, `security-group-rule/${r.ruleId}`),
  ...tagSet(tags),
});

export const internetGatewayView = ({ record: g, tags }: Described<InternetGatewayRecord>, where: Where) => ({
  InternetGatewayId: g.internetGatewayId,
  OwnerId: where.accountId,
  Attachments: g.vpcId ? [{ VpcId: g.vpcId, State: 'available' }] : [],
  ...tagSet(tags),
});

export const routeTableView = ({ record: t, tags }: Described<RouteTableRecord>, where: Where) => ({
  RouteTableId: t.routeTableId,
  VpcId: t.vpcId,
  OwnerId: where.accountId,
  Routes: t.routes.map((r) => ({ DestinationCidrBlock: r.destinationCidrBlock, GatewayId: r.gatewayId, Origin: r.origin, State: 'active' })),
  Associations: [
    ...(t.mainAssociationId ? [{ Main: true, RouteTableAssociationId: t.mainAssociationId, RouteTableId: t.routeTableId, AssociationState: { State: 'associated' } }] : []),
    ...t.associations.map((a) => ({ Main: false, RouteTableAssociationId: a.associationId, RouteTableId: t.routeTableId, SubnetId: a.subnetId, AssociationState: { State: 'associated' } })),
  ],
  PropagatingVgws: [],
  ...tagSet(tags),
});

/** The default ACL: allow all, then deny all, both ways (rule 100 and the implicit 32767). */
export const networkAclView = ({ record: { vpc, subnetIds }, tags }: Described<{ vpc: VpcRecord; subnetIds: string[] }>, where: Where) => ({
  NetworkAclId: vpc.defaultNetworkAclId,
  VpcId: vpc.vpcId,
  IsDefault: true,
  OwnerId: where.accountId,
  Entries: [true, false].flatMap((egress) => [
    { CidrBlock: '0.0.0.0/0', Egress: egress, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100 },
    { CidrBlock: '0.0.0.0/0', Egress: egress, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767 },
  ]),
  Associations: subnetIds.map((subnetId) => ({
    NetworkAclAssociationId: `aclassoc-${subnetId.slice('subnet-'.length)}`,
    NetworkAclId: vpc.defaultNetworkAclId,
    SubnetId: subnetId,
  })),
  ...tagSet(tags),
});

/** EC2's paging: MaxResults items from the position NextToken names (an index, opaque to callers). */
export function page<T>(items: readonly T[], maxResults: number | undefined, nextToken: string | undefined): { items: T[]; NextToken?: string } {
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString('utf8').replace(/^ec2:/, '')) : 0;
  const from = Number.isSafeInteger(start) && start >= 0 ? start : 0;
  if (maxResults === undefined) return { items: items.slice(from) };
  const end = from + maxResults;
  return { items: items.slice(from, end), ...(end < items.length && { NextToken: Buffer.from(`ec2:${end}`).toString('base64url') }) };
}
