import type { Store } from '../store/store.js';
import { answerQuery, zoneOf, type DnsLookupResult } from './dns-answers.js';
import { Collections, type InstanceRecord, type NamespaceRecord, type ServiceRecord } from './records.js';

/**
 * The records of every private DNS namespace, read from the store per question (a private hosted
 * zone per namespace, as Route 53 keeps them). The task DNS server asks this before it forwards.
 * Every region and account of the data dir is one resolver's view, as tasks of one host share it;
 * when two regions hold a namespace of the same name, the first in key order answers.
 */
export class DnsRecords {
  constructor(
    private readonly store: Store,
    private readonly random: () => number = Math.random,
  ) {}

  async lookup(qname: string, qtype: string): Promise<DnsLookupResult> {
    const namespaces = (await this.store.collection<NamespaceRecord>(Collections.namespaces).list())
      .map((r) => r.value)
      .filter((n) => n.type === 'DNS_PRIVATE');
    const found = zoneOf(qname, namespaces.map((namespace) => ({ namespace })));
    if (!found) return { kind: 'not-ours' };
    const { namespace } = found;
    const services = (await this.store.collection<ServiceRecord>(Collections.services).list({ prefix: `${namespace.region}/` }))
      .map((r) => r.value)
      .filter((s) => s.namespaceId === namespace.id);
    const withInstances = await Promise.all(
      services.map(async (service) => ({
        service,
        instances: (await this.store.collection<InstanceRecord>(Collections.instances).list({ prefix: `${namespace.region}/${service.id}/` })).map((r) => r.value),
      })),
    );
    return answerQuery(qname, qtype, { namespace, services: withInstances }, this.random);
  }
}
