import { describe, expect, it } from 'vitest';
import { checkInstanceAttributes, checkVpcId, dnsConfigOf, privateNamespaceName } from './rules.js';
import type { ServiceRecord } from './records.js';

const service = (types: Array<'A' | 'AAAA' | 'SRV' | 'CNAME'>, custom = false): ServiceRecord => ({
  id: 'srv-1',
  arn: 'arn',
  accountId: '000000000000',
  region: 'us-east-1',
  name: 's',
  namespaceId: 'ns-1',
  type: types.length > 0 ? 'DNS_HTTP' : 'HTTP',
  ...(types.length > 0 && { dnsConfig: { routingPolicy: types.includes('CNAME') ? 'WEIGHTED' : 'MULTIVALUE', records: types.map((type) => ({ type, ttl: 1 })) } }),
  ...(custom && { customHealth: {} }),
  createDate: 0,
  revision: 1,
});

describe('Cloud Map rules', () => {
  it('takes DNS names for private namespaces, lowercased and without the trailing dot', () => {
    expect(privateNamespaceName('Corp.Local.')).toBe('corp.local');
    for (const bad of ['', '-a.local', 'a_b.local', 'a..b', `${'x'.repeat(64)}.local`]) expect(() => privateNamespaceName(bad)).toThrow(/not a valid DNS domain name/);
  });

  it('accepts well-formed vpc- ids only', () => {
    expect(checkVpcId('vpc-01234567')).toBe('vpc-01234567');
    expect(checkVpcId('vpc-0123456789abcdef0')).toBe('vpc-0123456789abcdef0');
    for (const bad of ['vpc-1', 'subnet-01234567', 'vpc-0123456G', 'vpc-0123456789abcdef']) expect(() => checkVpcId(bad)).toThrow(/Invalid VPC ID/);
  });

  it("checks DnsConfig's record combinations and routing policy", () => {
    expect(dnsConfigOf({ DnsRecords: [{ Type: 'SRV', TTL: 1 }, { Type: 'A', TTL: 2 }] })).toEqual({ routingPolicy: 'MULTIVALUE', records: [{ type: 'SRV', ttl: 1 }, { type: 'A', ttl: 2 }] });
    expect(() => dnsConfigOf({ DnsRecords: [] })).toThrow(/at least one/);
    expect(() => dnsConfigOf({ DnsRecords: [{ Type: 'A', TTL: 1 }, { Type: 'A', TTL: 2 }] })).toThrow(/twice/);
    expect(() => dnsConfigOf({ DnsRecords: [{ Type: 'A', TTL: 1 }, { Type: 'CNAME', TTL: 2 }] })).toThrow(/cannot be combined/);
    expect(() => dnsConfigOf({ DnsRecords: [{ Type: 'CNAME', TTL: 1 }] })).toThrow(/WEIGHTED/);
  });

  it('asks of an instance the attributes its service records need', () => {
    expect(() => checkInstanceAttributes(service(['A']), {})).toThrow(/AWS_INSTANCE_IPV4 is required/);
    expect(() => checkInstanceAttributes(service(['A', 'SRV']), { AWS_INSTANCE_IPV4: '10.0.0.1' })).toThrow(/AWS_INSTANCE_PORT is required/);
    expect(() => checkInstanceAttributes(service(['AAAA']), { AWS_INSTANCE_IPV4: '10.0.0.1' })).toThrow(/AWS_INSTANCE_IPV6 is required/);
    expect(() => checkInstanceAttributes(service(['CNAME']), {})).toThrow(/AWS_INSTANCE_CNAME is required/);
    expect(() => checkInstanceAttributes(service(['A']), { AWS_INSTANCE_IPV4: '300.0.0.1' })).toThrow(/not a valid IPv4/);
    expect(() => checkInstanceAttributes(service(['A', 'SRV']), { AWS_INSTANCE_IPV4: '10.0.0.1', AWS_INSTANCE_PORT: '70000' })).toThrow(/between 1 and 65535/);
    expect(() => checkInstanceAttributes(service([]), { AWS_ALIAS_DNS_NAME: 'lb.example.com' })).toThrow(/not supported/);
    expect(() => checkInstanceAttributes(service([]), { AWS_INIT_HEALTH_STATUS: 'HEALTHY' })).toThrow(/custom health check/);
    expect(() => checkInstanceAttributes(service([], true), { AWS_INIT_HEALTH_STATUS: 'MAYBE' })).toThrow(/HEALTHY or UNHEALTHY/);
    expect(() => checkInstanceAttributes(service([]), Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v'])))).toThrow(/30 custom attributes/);
    expect(() => checkInstanceAttributes(service(['A', 'SRV'], true), { AWS_INSTANCE_IPV4: '10.0.0.1', AWS_INSTANCE_PORT: '80', AWS_INIT_HEALTH_STATUS: 'UNHEALTHY' })).not.toThrow();
    expect(() => checkInstanceAttributes(service([]), { anything: 'goes' })).not.toThrow();
  });
});
