import { randomBytes } from 'node:crypto';
import type { Scope } from '../lib/scope.js';

/**
 * What minato keeps of EC2's networking resources. Each lives in its own collection under
 * `<account>/<region>/<id>`; tags live apart (`ec2-tags`, by resource id), as CreateTags
 * reaches every resource type alike.
 */

export type Where = Pick<Scope, 'accountId' | 'region'>;

export interface VpcRecord {
  readonly vpcId: string;
  readonly cidrBlock: string;
  readonly cidrAssociationId: string;
  readonly isDefault: boolean;
  readonly instanceTenancy: string;
  readonly enableDnsSupport: boolean;
  readonly enableDnsHostnames: boolean;
  readonly enableNetworkAddressUsageMetrics: boolean;
  /** The resources every VPC is made with, and removed with. */
  readonly defaultSecurityGroupId: string;
  readonly mainRouteTableId: string;
  readonly defaultNetworkAclId: string;
}

export interface SubnetRecord {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly cidrBlock: string;
  readonly availabilityZone: string;
  readonly defaultForAz: boolean;
  readonly mapPublicIpOnLaunch: boolean;
}

/** One rule of a security group: one protocol and port range, one peer. */
export interface RuleRecord {
  readonly ruleId: string;
  readonly isEgress: boolean;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all) or a protocol number. */
  readonly ipProtocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidrIpv4?: string;
  readonly cidrIpv6?: string;
  readonly referencedGroupId?: string;
  readonly prefixListId?: string;
  readonly description?: string;
}

export interface SecurityGroupRecord {
  readonly groupId: string;
  readonly groupName: string;
  readonly description: string;
  readonly vpcId: string;
  readonly rules: readonly RuleRecord[];
}

export interface InternetGatewayRecord {
  readonly internetGatewayId: string;
  readonly vpcId?: string;
}

export interface RouteRecord {
  readonly destinationCidrBlock: string;
  readonly gatewayId: string;
  readonly origin: 'CreateRouteTable' | 'CreateRoute';
}

export interface RouteTableRecord {
  readonly routeTableId: string;
  readonly vpcId: string;
  readonly routes: readonly RouteRecord[];
  /** The association that makes it the VPC's main table, when it is. */
  readonly mainAssociationId?: string;
  readonly associations: ReadonlyArray<{ readonly associationId: string; readonly subnetId: string }>;
  /** The CreateRouteTable ClientToken it was made with, and a hash of that request's parameters. */
  readonly idempotency?: Idempotency;
}

/** A client token and the hash of the parameters it first came with (EC2's idempotent creates). */
export interface Idempotency {
  readonly clientToken: string;
  readonly parametersHash: string;
}

export const VPCS = 'ec2-vpcs';
export const SUBNETS = 'ec2-subnets';
export const SECURITY_GROUPS = 'ec2-security-groups';
export const INTERNET_GATEWAYS = 'ec2-internet-gateways';
export const ROUTE_TABLES = 'ec2-route-tables';
export const TAGS = 'ec2-tags';
/** One document per account and region, once its default VPC has been made (deleting it does not bring it back). */
export const DEFAULTS_MADE = 'ec2-defaults';

export const regionPrefix = (where: Where) => `${where.accountId}/${where.region}/`;
export const keyOf = (where: Where, id: string) => `${regionPrefix(where)}${id}`;

/** An EC2 id: the type's prefix and 17 hex digits, as AWS has made them since 2018. */
export const newId = (prefix: string): string => `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;

/** The limits EC2 sets by default (its quotas), per region or per VPC. */
export const LIMITS = { vpcsPerRegion: 5, subnetsPerVpc: 200, groupsPerVpc: 2500, rulesPerDirection: 60 } as const;
