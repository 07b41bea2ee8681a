import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerQuery, MAX_MULTIVALUE_ANSWERS, zoneOf, type Zone } from './dns-answers.js';
import type { InstanceRecord, NamespaceRecord, ServiceRecord } from './records.js';

const namespace: NamespaceRecord = {
  id: 'ns-1',
  arn: 'arn:aws:servicediscovery:us-east-1:000000000000:namespace/ns-1',
  accountId: '000000000000',
  region: 'us-east-1',
  name: 'corp.local',
  type: 'DNS_PRIVATE',
  vpc: 'vpc-01234567',
  soaTtl: 30,
  createDate: 0,
};

function service(name: string, records: ServiceRecord['dnsConfig'], custom = false): ServiceRecord {
  return {
    id: `srv-${name}`,
    arn: `arn:aws:servicediscovery:us-east-1:000000000000:service/srv-${name}`,
    accountId: '000000000000',
    region: 'us-east-1',
    name,
    namespaceId: 'ns-1',
    type: 'DNS_HTTP',
    ...(records && { dnsConfig: records }),
    ...(custom && { customHealth: {} }),
    createDate: 0,
    revision: 1,
  };
}

const instance = (id: string, ip: string, extra: Partial<InstanceRecord> = {}, port = '80'): InstanceRecord => ({
  id,
  serviceId: 'srv',
  region: 'us-east-1',
  accountId: '000000000000',
  attributes: { AWS_INSTANCE_IPV4: ip, AWS_INSTANCE_PORT: port },
  createDate: 0,
  ...extra,
});

const web = service('web', { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 5 }, { type: 'SRV', ttl: 6 }] }, true);

function zone(instances: InstanceRecord[], s: ServiceRecord = web): Zone {
  return { namespace, services: [{ service: s, instances }] };
}

describe('zoneOf', () => {
  it('finds the namespace by the longest suffix, case and trailing dot ignored', () => {
    const zones = [{ namespace: { name: 'local' } }, { namespace: { name: 'corp.local' } }];
    expect(zoneOf('Web.Corp.Local.', zones)?.namespace.name).toBe('corp.local');
    expect(zoneOf('x.local', zones)?.namespace.name).toBe('local');
    expect(zoneOf('notcorp.local', zones)?.namespace.name).toBe('local');
    expect(zoneOf('example.com', zones)).toBeUndefined();
  });
});

describe('answerQuery', () => {
  it('answers A with healthy instances only, at the TTL of the A record', () => {
    const result = answerQuery('web.corp.local', 'A', zone([instance('a', '10.0.0.1'), instance('b', '10.0.0.2', { health: 'UNHEALTHY' })]));
    expect(result).toEqual({ kind: 'answer', answers: [{ type: 'A', name: 'web.corp.local', ttl: 5, address: '10.0.0.1' }], additionals: [] });
  });

  it('answers with every instance when none is healthy, as Route 53 fails open', () => {
    const result = answerQuery('web.corp.local', 'A', zone([instance('a', '10.0.0.1', { health: 'UNHEALTHY' })]));
    expect(result.kind === 'answer' && result.answers.map((a) => a.type === 'A' && a.address)).toEqual(['10.0.0.1']);
  });

  it('answers SRV with <instance>.<service>.<namespace> targets and their A records as additionals', () => {
    const result = answerQuery('web.corp.local', 'SRV', zone([instance('Task1', '10.0.0.1', {}, '8080')]));
    expect(result).toEqual({
      kind: 'answer',
      answers: [{ type: 'SRV', name: 'web.corp.local', ttl: 6, priority: 1, weight: 1, port: 8080, target: 'task1.web.corp.local' }],
      additionals: [{ type: 'A', name: 'task1.web.corp.local', ttl: 5, address: '10.0.0.1' }],
    });
    expect(answerQuery('task1.web.corp.local', 'A', zone([instance('Task1', '10.0.0.1')]))).toMatchObject({ kind: 'answer', answers: [{ address: '10.0.0.1' }] });
  });

  it('is NXDOMAIN for unknown names and services without instances, with the SOA TTL; empty for other types', () => {
    expect(answerQuery('db.corp.local', 'A', zone([instance('a', '10.0.0.1')]))).toEqual({ kind: 'nxdomain', zone: 'corp.local', negativeTtl: 30 });
    expect(answerQuery('web.corp.local', 'A', zone([]))).toMatchObject({ kind: 'nxdomain' });
    expect(answerQuery('nope.web.corp.local', 'A', zone([instance('a', '10.0.0.1')]))).toMatchObject({ kind: 'nxdomain' });
    expect(answerQuery('web.corp.local', 'TXT', zone([instance('a', '10.0.0.1')]))).toEqual({ kind: 'answer', answers: [], additionals: [] });
    expect(answerQuery('corp.local', 'A', zone([]))).toEqual({ kind: 'answer', answers: [], additionals: [] });
  });

  it('names no instance records for a service without SRV', () => {
    const plain = service('api', { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 5 }] });
    expect(answerQuery('a.api.corp.local', 'A', zone([instance('a', '10.0.0.1')], plain)).kind).toBe('nxdomain');
  });

  it('answers one instance for WEIGHTED routing, and a CNAME service with its target', () => {
    const weighted = service('w', { routingPolicy: 'WEIGHTED', records: [{ type: 'A', ttl: 5 }] });
    const result = answerQuery('w.corp.local', 'A', zone([instance('a', '10.0.0.1'), instance('b', '10.0.0.2')], weighted), () => 0.99);
    expect(result).toMatchObject({ kind: 'answer', answers: [{ address: '10.0.0.2' }] });
    const cname = service('c', { routingPolicy: 'WEIGHTED', records: [{ type: 'CNAME', ttl: 9 }] });
    const target = instance('x', '10.0.0.1', { attributes: { AWS_INSTANCE_CNAME: 'db.example.com' } });
    expect(answerQuery('c.corp.local', 'A', zone([target], cname))).toMatchObject({ kind: 'answer', answers: [{ type: 'CNAME', target: 'db.example.com', ttl: 9 }] });
  });

  it('answers at most eight distinct healthy instances, whatever the number registered', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (healthy, unhealthy, r) => {
        const instances = [
          ...Array.from({ length: healthy }, (_, i) => instance(`h${i}`, `10.1.${Math.floor(i / 250)}.${i % 250}`)),
          ...Array.from({ length: unhealthy }, (_, i) => instance(`u${i}`, `10.2.${Math.floor(i / 250)}.${i % 250}`, { health: 'UNHEALTHY' })),
        ];
        const result = answerQuery('web.corp.local', 'A', zone(instances), () => r);
        if (result.kind !== 'answer') return false;
        const addresses = result.answers.map((a) => (a.type === 'A' ? a.address : ''));
        return (
          addresses.length === Math.min(healthy, MAX_MULTIVALUE_ANSWERS) &&
          new Set(addresses).size === addresses.length &&
          addresses.every((a) => a.startsWith('10.1.'))
        );
      }),
    );
  });
});
