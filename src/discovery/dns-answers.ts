import { healthOf } from './instances.js';
import type { InstanceRecord, NamespaceRecord, ServiceRecord } from './records.js';
import { ReservedAttribute } from './rules.js';

/** One resource record of an answer, in the terms of the task DNS server's lookup port. */
export type DnsRecordAnswer =
  | { type: 'A'; name: string; ttl: number; address: string }
  | { type: 'AAAA'; name: string; ttl: number; address: string }
  | { type: 'SRV'; name: string; ttl: number; priority: number; weight: number; port: number; target: string }
  | { type: 'CNAME'; name: string; ttl: number; target: string };

/** What the records of private DNS namespaces say about one question. */
export type DnsLookupResult =
  | { kind: 'answer'; answers: DnsRecordAnswer[]; additionals: DnsRecordAnswer[] }
  | { kind: 'nxdomain'; zone: string; negativeTtl: number }
  /** The name is in no private DNS namespace: someone else's to answer. */
  | { kind: 'not-ours' };

/** A private DNS namespace with its services and their instances, as the answer needs them. */
export interface Zone {
  namespace: NamespaceRecord;
  services: ReadonlyArray<{ service: ServiceRecord; instances: readonly InstanceRecord[] }>;
}

/** Route 53 answers a multivalue query with at most eight records. */
export const MAX_MULTIVALUE_ANSWERS = 8;

const normal = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/** The zone whose namespace name is the longest suffix of `qname`, if any. */
export function zoneOf<Z extends { namespace: { name: string } }>(qname: string, zones: readonly Z[]): Z | undefined {
  const name = normal(qname);
  let best: Z | undefined;
  for (const z of zones) {
    const zone = normal(z.namespace.name);
    if ((name === zone || name.endsWith(`.${zone}`)) && (!best || zone.length > best.namespace.name.length)) best = z;
  }
  return best;
}

/**
 * Answers `qtype` for `qname` from the records Cloud Map would have made in the namespace's
 * hosted zone: per service, A/AAAA/SRV/CNAME record sets of its instances; per instance,
 * `<instance-id>.<service>.<namespace>` A/AAAA records (the targets of SRV answers). Healthy
 * instances only, unless none is healthy: then all, as Route 53 answers a multivalue query. At
 * most eight records (multivalue), or one picked at random (weighted). A name with no record set
 * is NXDOMAIN; a name with record sets of other types is an empty answer.
 */
export function answerQuery(qname: string, qtype: string, zone: Zone, random: () => number = Math.random): DnsLookupResult {
  const name = normal(qname);
  const zoneName = normal(zone.namespace.name);
  const nxdomain: DnsLookupResult = { kind: 'nxdomain', zone: zoneName, negativeTtl: zone.namespace.soaTtl ?? 15 };
  const empty: DnsLookupResult = { kind: 'answer', answers: [], additionals: [] };
  if (name === zoneName) return empty;
  const relative = name.slice(0, -(zoneName.length + 1));
  for (const { service, instances } of zone.services) {
    const config = service.dnsConfig;
    if (!config || instances.length === 0) continue;
    const serviceName = normal(service.name);
    const ttlOf = (type: string): number | undefined => config.records.find((r) => r.type === type)?.ttl;
    const serving = routable(service, instances);
    const owner = `${serviceName}.${zoneName}`;
    if (relative === serviceName) {
      const picked = config.routingPolicy === 'WEIGHTED' ? pickOne(serving, random) : pickMany(serving, random);
      return { kind: 'answer', ...serviceRecords(owner, qtype, picked, ttlOf) };
    }
    if (relative.endsWith(`.${serviceName}`)) {
      const instanceId = relative.slice(0, -(serviceName.length + 1));
      const instance = instances.find((i) => i.id.toLowerCase() === instanceId);
      // Cloud Map names instances only for SRV records.
      if (!instance || ttlOf('SRV') === undefined) continue;
      return { kind: 'answer', answers: addressRecords(name, qtype, instance, ttlOf), additionals: [] };
    }
  }
  return nxdomain;
}

function routable(service: ServiceRecord, instances: readonly InstanceRecord[]): InstanceRecord[] {
  const healthy = instances.filter((i) => healthOf(service, i) === 'HEALTHY');
  return healthy.length > 0 ? healthy : [...instances];
}

function pickOne(instances: readonly InstanceRecord[], random: () => number): InstanceRecord[] {
  return instances.length === 0 ? [] : [instances[Math.floor(random() * instances.length)]!];
}

/** Up to eight instances, chosen at random when more are there (Route 53 rotates among them). */
function pickMany(instances: readonly InstanceRecord[], random: () => number): InstanceRecord[] {
  const pool = [...instances];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, MAX_MULTIVALUE_ANSWERS);
}

function addressRecords(owner: string, qtype: string, i: InstanceRecord, ttlOf: (type: string) => number | undefined): DnsRecordAnswer[] {
  const ipv4 = i.attributes[ReservedAttribute.Ipv4];
  const ipv6 = i.attributes[ReservedAttribute.Ipv6];
  // An instance name carries the address records of the service's types, with their TTLs (or the SRV's).
  const ttl = (type: string): number => ttlOf(type) ?? ttlOf('SRV') ?? 60;
  if (qtype === 'A' && ipv4 !== undefined) return [{ type: 'A', name: owner, ttl: ttl('A'), address: ipv4 }];
  if (qtype === 'AAAA' && ipv6 !== undefined) return [{ type: 'AAAA', name: owner, ttl: ttl('AAAA'), address: ipv6 }];
  return [];
}

function serviceRecords(
  owner: string,
  qtype: string,
  picked: readonly InstanceRecord[],
  ttlOf: (type: string) => number | undefined,
): { answers: DnsRecordAnswer[]; additionals: DnsRecordAnswer[] } {
  const cnameTtl = ttlOf('CNAME');
  if (cnameTtl !== undefined) {
    const target = picked[0]?.attributes[ReservedAttribute.Cname];
    return { answers: target === undefined ? [] : [{ type: 'CNAME', name: owner, ttl: cnameTtl, target: normal(target) }], additionals: [] };
  }
  const ttl = ttlOf(qtype);
  if (ttl === undefined) return { answers: [], additionals: [] };
  if (qtype === 'SRV') {
    const answers: DnsRecordAnswer[] = [];
    const additionals: DnsRecordAnswer[] = [];
    for (const i of picked) {
      const target = `${i.id.toLowerCase()}.${owner}`;
      answers.push({ type: 'SRV', name: owner, ttl, priority: 1, weight: 1, port: Number(i.attributes[ReservedAttribute.Port]), target });
      additionals.push(...addressRecords(target, 'A', i, ttlOf), ...addressRecords(target, 'AAAA', i, ttlOf));
    }
    return { answers, additionals };
  }
  return { answers: picked.flatMap((i) => addressRecords(owner, qtype, i, () => ttl)), additionals: [] };
}
