import { isIPv4, isIPv6 } from 'node:net';
import { invalidInput } from './errors.js';
import type { DnsConfigRecord, RecordType, ServiceRecord } from './records.js';

/**
 * Cloud Map's cross-field rules that the model cannot state, with the messages AWS gives where
 * they are known. Pure: the domain calls them before it writes anything.
 */

const LABEL = /^(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$/;

/** A private DNS namespace's name is a DNS domain name (a trailing dot is dropped, as Route 53 does). */
export function privateNamespaceName(name: string): string {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed === '' || trimmed.length > 253 || !trimmed.split('.').every((l) => LABEL.test(l))) {
    throw invalidInput(`Namespace name ${name} is not a valid DNS domain name.`);
  }
  return trimmed.toLowerCase();
}

/**
 * The VPC a private namespace is associated with. It is not looked up in the EC2 API, so
 * any well-formed `vpc-` id is taken as named, as awsvpc task subnets are.
 */
export function checkVpcId(vpc: string): string {
  if (!/^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(vpc)) throw invalidInput(`Invalid VPC ID: ${vpc}`);
  return vpc;
}

// The combinations of record types Cloud Map accepts in one DnsConfig.
const RECORD_SETS = new Set(['A', 'AAAA', 'SRV', 'CNAME', 'A,AAAA', 'A,SRV', 'AAAA,SRV', 'A,AAAA,SRV']);

/** A DnsConfig as the request carries it, checked against Cloud Map's rules. */
export function dnsConfigOf(input: {
  RoutingPolicy?: string;
  DnsRecords?: ReadonlyArray<{ Type?: string; TTL?: number }>;
}): DnsConfigRecord {
  const records = (input.DnsRecords ?? []).map((r) => ({ type: r.Type as RecordType, ttl: r.TTL ?? 0 }));
  if (records.length === 0) throw invalidInput('DnsConfig must contain at least one DnsRecord.');
  const types = records.map((r) => r.type);
  if (new Set(types).size !== types.length) throw invalidInput('DnsRecords must not contain the same record type twice.');
  const order: RecordType[] = ['A', 'AAAA', 'SRV', 'CNAME'];
  const key = [...types].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(',');
  if (!RECORD_SETS.has(key)) throw invalidInput(`DnsRecords of types ${types.join(', ')} cannot be combined.`);
  const routingPolicy = (input.RoutingPolicy ?? 'MULTIVALUE') as DnsConfigRecord['routingPolicy'];
  if (types.includes('CNAME') && routingPolicy !== 'WEIGHTED') throw invalidInput('A CNAME record requires the WEIGHTED routing policy.');
  return { routingPolicy, records };
}

/** The attributes Cloud Map reserves; the rest are the caller's own. */
export const ReservedAttribute = {
  Ipv4: 'AWS_INSTANCE_IPV4',
  Ipv6: 'AWS_INSTANCE_IPV6',
  Port: 'AWS_INSTANCE_PORT',
  Cname: 'AWS_INSTANCE_CNAME',
  Alias: 'AWS_ALIAS_DNS_NAME',
  InitHealth: 'AWS_INIT_HEALTH_STATUS',
  Ec2InstanceId: 'AWS_EC2_INSTANCE_ID',
} as const;

/** "You can add up to 30 custom attributes"; the sum of keys and values is at most 5,000 characters. */
const MAX_CUSTOM_ATTRIBUTES = 30;
const MAX_ATTRIBUTE_CHARACTERS = 5000;

/**
 * RegisterInstance's attributes checked against the service: the addresses its records need, a
 * valid port, no alias (minato has no load balancer records), an initial health status only where
 * a custom health check is configured.
 */
export function checkInstanceAttributes(service: ServiceRecord, attrs: Readonly<Record<string, string>>): void {
  const reserved = new Set<string>(Object.values(ReservedAttribute));
  const custom = Object.keys(attrs).filter((k) => !reserved.has(k));
  if (custom.length > MAX_CUSTOM_ATTRIBUTES) throw invalidInput(`You can specify up to ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`);
  const size = Object.entries(attrs).reduce((n, [k, v]) => n + k.length + v.length, 0);
  if (size > MAX_ATTRIBUTE_CHARACTERS) throw invalidInput(`The total size of all attributes must not exceed ${MAX_ATTRIBUTE_CHARACTERS} characters.`);
  const ipv4 = attrs[ReservedAttribute.Ipv4];
  const ipv6 = attrs[ReservedAttribute.Ipv6];
  const port = attrs[ReservedAttribute.Port];
  if (ipv4 !== undefined && !isIPv4(ipv4)) throw invalidInput(`${ReservedAttribute.Ipv4} is not a valid IPv4 address: ${ipv4}`);
  if (ipv6 !== undefined && !isIPv6(ipv6)) throw invalidInput(`${ReservedAttribute.Ipv6} is not a valid IPv6 address: ${ipv6}`);
  if (port !== undefined && !/^[0-9]{1,5}$/.test(port)) throw invalidInput(`${ReservedAttribute.Port} must be an integer: ${port}`);
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw invalidInput(`${ReservedAttribute.Port} must be between 1 and 65535: ${port}`);
  if (attrs[ReservedAttribute.Alias] !== undefined) throw invalidInput(`${ReservedAttribute.Alias} is not supported: minato has no load balancer alias records.`);
  const init = attrs[ReservedAttribute.InitHealth];
  if (init !== undefined) {
    if (init !== 'HEALTHY' && init !== 'UNHEALTHY') throw invalidInput(`${ReservedAttribute.InitHealth} must be HEALTHY or UNHEALTHY.`);
    if (!service.customHealth) throw invalidInput(`${ReservedAttribute.InitHealth} is valid only for services with a custom health check.`);
  }
  const types = new Set(service.dnsConfig?.records.map((r) => r.type) ?? []);
  if (types.has('CNAME')) {
    if (attrs[ReservedAttribute.Cname] === undefined) throw invalidInput(`${ReservedAttribute.Cname} is required by the service's CNAME record.`);
    return;
  }
  const needsAddress = types.has('A') || types.has('AAAA') || types.has('SRV');
  if (types.has('A') && !types.has('AAAA') && ipv4 === undefined) throw invalidInput(`${ReservedAttribute.Ipv4} is required by the service's A record.`);
  if (types.has('AAAA') && !types.has('A') && ipv6 === undefined) throw invalidInput(`${ReservedAttribute.Ipv6} is required by the service's AAAA record.`);
  if (needsAddress && ipv4 === undefined && ipv6 === undefined) throw invalidInput(`${ReservedAttribute.Ipv4} or ${ReservedAttribute.Ipv6} is required.`);
  if (types.has('SRV') && port === undefined) throw invalidInput(`${ReservedAttribute.Port} is required by the service's SRV record.`);
}
