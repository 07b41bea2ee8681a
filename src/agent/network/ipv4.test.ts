import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressOf, firstHost, formatIpv4, formatSubnet, parseIpv4, parseSubnet, subnetContains, usableHosts } from './ipv4.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe('ipv4', () => {
  it('parses what it formats, for every address', () => {
    fc.assert(fc.property(u32, (n) => parseIpv4(formatIpv4(n)) === n));
  });

  it('refuses what is not a dotted quad', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.-4', 'a.b.c.d', '1.2.3.4 ']) {
      expect(parseIpv4(bad), bad).toBeUndefined();
    }
    expect(parseIpv4('10.213.0.5')).toBe(((10 * 256 + 213) * 256 + 0) * 256 + 5);
  });

  it('parses subnets whose host bits are zero, and only those', () => {
    expect(parseSubnet('10.213.0.0/16')).toEqual({ network: parseIpv4('10.213.0.0'), prefix: 16 });
    expect(parseSubnet('10.213.0.1/16')).toBeUndefined();
    expect(parseSubnet('10.213.0.0/33')).toBeUndefined();
    expect(parseSubnet('10.213.0.0')).toBeUndefined();
    expect(parseSubnet('10.213.0.0/16/1')).toBeUndefined();
    fc.assert(
      fc.property(u32, fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
        const network = prefix === 0 ? 0 : (ip & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
        const s = parseSubnet(formatSubnet({ network, prefix }));
        return s !== undefined && s.network === network && s.prefix === prefix && subnetContains(s, ip);
      }),
    );
  });

  it('knows which addresses a subnet holds', () => {
    const s = parseSubnet('10.213.0.0/24')!;
    expect(subnetContains(s, parseIpv4('10.213.0.255')!)).toBe(true);
    expect(subnetContains(s, parseIpv4('10.213.1.0')!)).toBe(false);
    expect(formatIpv4(firstHost(s))).toBe('10.213.0.1');
    expect(usableHosts(s)).toBe(253);
    expect(usableHosts(parseSubnet('10.213.0.0/31')!)).toBe(0);
  });

  it('takes the address out of an interface address', () => {
    expect(addressOf('10.213.0.5/16')).toBe('10.213.0.5');
    expect(addressOf('fd00::5/64')).toBeUndefined();
  });
});
