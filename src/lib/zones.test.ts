import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availabilityZones, defaultSubnetId, zoneIdOf, zoneOfSubnet } from './zones.js';

describe('Availability Zones', () => {
  it('gives a default subnet id whose zone is its zone, for any account', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), fc.constantFrom('us-east-1', 'eu-west-3', 'ap-southeast-2'), (account, region) => {
        for (const zone of availabilityZones(region)) {
          const id = defaultSubnetId(account, zone);
          expect(id).toMatch(/^subnet-[0-9a-f]{17}$/);
          expect(zoneOfSubnet(region, id)).toBe(zone);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('spells zone ids as AWS does', () => {
    expect(zoneIdOf('us-east-1a')).toBe('use1-az1');
    expect(zoneIdOf('ap-southeast-2c')).toBe('apse2-az3');
    expect(zoneIdOf('eu-central-1f')).toBe('euc1-az6');
  });
});
