import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateConditions } from './conditions.js';

const ctx = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

describe('IpAddress and NotIpAddress', () => {
  it('match addresses inside a CIDR range, IPv4 and IPv6, and a bare address exactly', () => {
    const holds = (op: string, ip: string, ranges: string[]) => evaluateConditions({ [op]: { 'aws:SourceIp': ranges } }, ctx({ 'aws:sourceip': [ip] })).holds;
    expect(holds('IpAddress', '10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(holds('IpAddress', '11.1.2.3', ['10.0.0.0/8'])).toBe(false);
    expect(holds('IpAddress', '11.1.2.3', ['10.0.0.0/8', '11.1.2.3'])).toBe(true);
    expect(holds('IpAddress', '2001:db8::1', ['2001:db8::/32'])).toBe(true);
    expect(holds('IpAddress', '2001:db9::1', ['2001:db8::/32'])).toBe(false);
    // A family mismatch or a malformed range matches nothing.
    expect(holds('IpAddress', '10.1.2.3', ['::/0'])).toBe(false);
    expect(holds('IpAddress', '10.1.2.3', ['10.0.0.0/40'])).toBe(false);
    expect(holds('NotIpAddress', '11.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(holds('NotIpAddress', '10.1.2.3', ['10.0.0.0/8'])).toBe(false);
  });

  it('agree with a /24 prefix comparison for any IPv4 address', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), fc.tuple(octet, octet, octet), (a, n) => {
        const ip = a.join('.');
        const range = `${n.join('.')}.0/24`;
        const inside = a[0] === n[0] && a[1] === n[1] && a[2] === n[2];
        expect(evaluateConditions({ IpAddress: { 'aws:SourceIp': [range] } }, ctx({ 'aws:SourceIp': [ip] })).holds).toBe(inside);
      }),
    );
  });

  it('reports the key missing when the context lacks it', () => {
    expect(evaluateConditions({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } }, ctx({}))).toEqual({ holds: false, missing: ['aws:SourceIp'] });
  });
});
