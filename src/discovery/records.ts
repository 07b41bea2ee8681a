import { randomBytes } from 'node:crypto';
import { formatArn } from '../lib/arn.js';

/**
 * Cloud Map's records as they live in the Store: namespaces, services, instances, operations and
 * tags, each keyed by region first (every call is region-scoped, as on AWS).
 */

/** The collections of the discovery domain. */
export const Collections = {
  namespaces: 'sd-namespaces',
  services: 'sd-services',
  instances: 'sd-instances',
  operations: 'sd-operations',
  tags: 'sd-tags',
  /** CreatorRequestId → what the first request made, for idempotent retries. */
  requests: 'sd-creator-requests',
} as const;

/** DNS_PRIVATE and HTTP are served; DNS_PUBLIC is refused at creation. */
export type NamespaceType = 'DNS_PRIVATE' | 'HTTP';

export interface NamespaceRecord {
  id: string;
  arn: string;
  accountId: string;
  region: string;
  name: string;
  type: NamespaceType;
  description?: string;
  /** Only for DNS_PRIVATE: the VPC it is associated with, accepted as given (not looked up in the EC2 API). */
  vpc?: string;
  /** Only for DNS_PRIVATE: the SOA record's TTL. */
  soaTtl?: number;
  /** Only for DNS_PRIVATE: a hosted zone id of Route 53's form, for the Properties AWS shows. */
  hostedZoneId?: string;
  creatorRequestId?: string;
  createDate: number;
}

export type RecordType = 'A' | 'AAAA' | 'SRV' | 'CNAME';

export interface DnsRecordConfig {
  type: RecordType;
  ttl: number;
}

export interface DnsConfigRecord {
  routingPolicy: 'MULTIVALUE' | 'WEIGHTED';
  records: DnsRecordConfig[];
}

export interface ServiceRecord {
  id: string;
  arn: string;
  accountId: string;
  region: string;
  name: string;
  namespaceId: string;
  type: 'HTTP' | 'DNS_HTTP';
  description?: string;
  dnsConfig?: DnsConfigRecord;
  /** HealthCheckCustomConfig's FailureThreshold (AWS keeps it, and ignores it, since 2021). */
  customHealth?: { failureThreshold?: number };
  creatorRequestId?: string;
  createDate: number;
  /** DiscoverInstancesRevision's number: moves on with every change of the service's instances. */
  revision: number;
}

export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

export interface InstanceRecord {
  id: string;
  serviceId: string;
  region: string;
  accountId: string;
  attributes: Record<string, string>;
  creatorRequestId?: string;
  /** The custom health status; only services with HealthCheckCustomConfig have one. */
  health?: 'HEALTHY' | 'UNHEALTHY';
  createDate: number;
}

export type OperationType =
  | 'CREATE_NAMESPACE'
  | 'DELETE_NAMESPACE'
  | 'UPDATE_NAMESPACE'
  | 'UPDATE_SERVICE'
  | 'REGISTER_INSTANCE'
  | 'DEREGISTER_INSTANCE';

export interface OperationRecord {
  id: string;
  accountId: string;
  region: string;
  type: OperationType;
  /** minato applies every change at once: operations are recorded as SUCCESS. */
  status: 'SUCCESS';
  targets: { NAMESPACE?: string; SERVICE?: string; INSTANCE?: string };
  createDate: number;
  updateDate: number;
}

export interface Tag {
  Key: string;
  Value: string;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `n` random lowercase letters and digits, as Cloud Map's ids are made of. */
export function randomId(n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

export const newNamespaceId = (): string => `ns-${randomId(16)}`;
export const newServiceId = (): string => `srv-${randomId(16)}`;
/** Operation ids look like AWS's: 32 characters, a dash, 8 more. */
export const newOperationId = (): string => `${randomId(32)}-${randomId(8)}`;
/** Route 53 hosted zone ids: Z and 20 upper-case letters and digits. */
export const newHostedZoneId = (): string => `Z${randomId(20).toUpperCase()}`;

export const namespaceArn = (region: string, accountId: string, id: string): string =>
  formatArn('servicediscovery', region, accountId, `namespace/${id}`);
export const serviceArn = (region: string, accountId: string, id: string): string =>
  formatArn('servicediscovery', region, accountId, `service/${id}`);

export const regionKey = (region: string, id: string): string => `${region}/${id}`;
export const instanceKey = (region: string, serviceId: string, instanceId: string): string => `${region}/${serviceId}/${instanceId}`;
