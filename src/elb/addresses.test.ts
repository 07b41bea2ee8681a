import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateAddress, parseSubnet } from './addresses.js';

describe('the load-balancer subnet', () => {
  it('skips the network and broadcast addresses', () => {
    const subnet = parseSubnet('127.77.0.0/30');
    expect(allocateAddress(subnet, [])).toBe('127.77.0.1');
    expect(allocateAddress(subnet, ['127.77.0.1'])).toBe('127.77.0.2');
    expect(allocateAddress(subnet, ['127.77.0.1', '127.77.0.2'])).toBeUndefined();
  });

  it('normalises a base address inside the block', () => {
    expect(allocateAddress(parseSubnet('10.1.2.77/24'), [])).toBe('10.1.2.1');
  });

  it('refuses what is not an IPv4 block of /8 to /30', () => {
    for (const bad of ['127.77.0.0', '127.77.0.0/31', '300.1.1.1/16', 'x/16', '127.77.0.0/7']) expect(() => parseSubnet(bad)).toThrow(/CIDR/);
  });

  it('never hands out an address in use, and hands out a fresh one while any is free', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 14 }), { maxLength: 14 }), (octets) => {
        const used = octets.map((o) => `192.168.5.${o}`);
        const got = allocateAddress(parseSubnet('192.168.5.0/28'), used);
        if (octets.length === 14) expect(got).toBeUndefined();
        else {
          expect(got).toBeDefined();
          expect(used).not.toContain(got);
          const last = Number(got!.split('.')[3]);
          expect(last).toBeGreaterThanOrEqual(1);
          expect(last).toBeLessThanOrEqual(14);
        }
      }),
    );
  });
});
