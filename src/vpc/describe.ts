import { zoneIdOf } from '../lib/zones.js';
import type { FilterValues } from './filters.js';
import type { InternetGatewayRecord, RouteTableRecord, RuleRecord, SecurityGroupRecord, SubnetRecord, VpcRecord } from './records.js';

/**
 * The filter names each Describe operation takes (those the provider and the console query), and
 * the values a resource has under each.
 */

export function vpcValues(v: VpcRecord, owner: string): FilterValues {
  return {
    'vpc-id': [v.vpcId], cidr: [v.cidrBlock], 'cidr-block-association.cidr-block': [v.cidrBlock],
    'cidr-block-association.association-id': [v.cidrAssociationId], 'cidr-block-association.state': ['associated'],
    'is-default': [v.isDefault], isDefault: [v.isDefault], state: ['available'], 'owner-id': [owner], 'dhcp-options-id': ['default'],
  };
}

export function subnetValues(s: SubnetRecord, owner: string, cidrBlockText = s.cidrBlock): FilterValues {
  return {
    'subnet-id': [s.subnetId], 'vpc-id': [s.vpcId], vpcId: [s.vpcId], 'availability-zone': [s.availabilityZone], availabilityZone: [s.availabilityZone],
    'availability-zone-id': [zoneIdOf(s.availabilityZone)], 'cidr-block': [cidrBlockText], cidr: [cidrBlockText], cidrBlock: [cidrBlockText],
    'default-for-az': [s.defaultForAz], defaultForAz: [s.defaultForAz], 'map-public-ip-on-launch': [s.mapPublicIpOnLaunch],
    state: ['available'], 'owner-id': [owner],
  };
}

export function groupValues(g: SecurityGroupRecord, owner: string): FilterValues {
  const ingress = g.rules.filter((r) => !r.isEgress);
  const egress = g.rules.filter((r) => r.isEgress);
  return {
    'group-id': [g.groupId], 'group-name': [g.groupName], 'vpc-id': [g.vpcId], description: [g.description], 'owner-id': [owner],
    'ip-permission.protocol': ingress.map((r) => r.ipProtocol), 'ip-permission.cidr': ingress.map((r) => r.cidrIpv4),
    'ip-permission.from-port': ingress.map((r) => r.fromPort), 'ip-permission.to-port': ingress.map((r) => r.toPort),
    'ip-permission.group-id': ingress.map((r) => r.referencedGroupId),
    'egress.ip-permission.protocol': egress.map((r) => r.ipProtocol), 'egress.ip-permission.cidr': egress.map((r) => r.cidrIpv4),
  };
}

export function ruleValues(r: RuleRecord, groupId: string): FilterValues {
  return { 'group-id': [groupId], 'security-group-rule-id': [r.ruleId] };
}

export function gatewayValues(g: InternetGatewayRecord, owner: string): FilterValues {
  return {
    'internet-gateway-id': [g.internetGatewayId], 'attachment.vpc-id': [g.vpcId], 'attachment.state': [g.vpcId && 'available'], 'owner-id': [owner],
  };
}

export function routeTableValues(t: RouteTableRecord, owner: string): FilterValues {
  return {
    'route-table-id': [t.routeTableId], 'vpc-id': [t.vpcId], 'owner-id': [owner],
    'association.main': [t.mainAssociationId !== undefined], 'association.subnet-id': t.associations.map((a) => a.subnetId),
    'association.route-table-association-id': [t.mainAssociationId, ...t.associations.map((a) => a.associationId)],
    'association.route-table-id': [t.routeTableId],
    'route.destination-cidr-block': t.routes.map((r) => r.destinationCidrBlock), 'route.gateway-id': t.routes.map((r) => r.gatewayId),
    'route.origin': t.routes.map((r) => r.origin), 'route.state': ['active'],
  };
}

export function networkAclValues(vpc: VpcRecord, subnetIds: readonly string[], owner: string): FilterValues {
  return { 'network-acl-id': [vpc.defaultNetworkAclId], 'vpc-id': [vpc.vpcId], default: [true], 'owner-id': [owner], 'association.subnet-id': subnetIds };
}


// The filter names of each type, read off a placeholder record, so that a filter name is checked
// even when no resource of the type exists.
const VPC_STUB: VpcRecord = {
  vpcId: '', cidrBlock: '', cidrAssociationId: '', isDefault: false, instanceTenancy: '', enableDnsSupport: false, enableDnsHostnames: false,
  enableNetworkAddressUsageMetrics: false, defaultSecurityGroupId: '', mainRouteTableId: '', defaultNetworkAclId: '',
};
export const FILTER_NAMES = {
  vpc: Object.keys(vpcValues(VPC_STUB, '')),
  subnet: Object.keys(subnetValues({ subnetId: '', vpcId: '', cidrBlock: '', availabilityZone: 'x', defaultForAz: false, mapPublicIpOnLaunch: false }, '')),
  group: Object.keys(groupValues({ groupId: '', groupName: '', description: '', vpcId: '', rules: [] }, '')),
  rule: Object.keys(ruleValues({ ruleId: '', isEgress: false, ipProtocol: '', fromPort: 0, toPort: 0 }, '')),
  gateway: Object.keys(gatewayValues({ internetGatewayId: '' }, '')),
  routeTable: Object.keys(routeTableValues({ routeTableId: '', vpcId: '', routes: [], associations: [] }, '')),
  networkAcl: Object.keys(networkAclValues(VPC_STUB, [], '')),
} as const;
