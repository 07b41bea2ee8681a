import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../lib/errors.js';
import type { RegistryScanningConfiguration } from './scan-records.js';
import { checkScanningConfiguration, DEFAULT_SCANNING_CONFIGURATION, filterMatches, repositoryScanning } from './scanning-configuration.js';

/** A reference matcher: `*` matches any run of characters, by backtracking over the name. */
function reference(filter: string, name: string): boolean {
  if (filter === '') return name === '';
  if (filter[0] === '*') return [...Array(name.length + 1).keys()].some((i) => reference(filter.slice(1), name.slice(i)));
  return name[0] === filter[0] && reference(filter.slice(1), name.slice(1));
}

const wildcard = (filter: string) => ({ filter, filterType: 'WILDCARD' as const });

describe('filterMatches', () => {
  it('agrees with a backtracking matcher on names of ECR characters', () => {
    const char = fc.constantFrom('a', 'b', '/', '-', '.', '_', '*');
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', '/', '-', '.', '_'), maxLength: 10 }), (filter, name) => {
        expect(filterMatches(filter, name)).toBe(reference(filter, name));
      }),
    );
  });

  it('matches whole names: a prefix needs its `*`', () => {
    expect(filterMatches('prod', 'prod/app')).toBe(false);
    expect(filterMatches('prod*', 'prod/app')).toBe(true);
    expect(filterMatches('*', 'anything/at/all')).toBe(true);
    expect(filterMatches('a.b', 'axb')).toBe(false);
  });
});

describe('repositoryScanning', () => {
  const enhanced: RegistryScanningConfiguration = {
    scanType: 'ENHANCED',
    rules: [
      { scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [wildcard('*')] },
      { scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [wildcard('prod/*'), wildcard('x')] },
    ],
  };

  it('basic: a rule, else the repository’s scanOnPush, else manual', () => {
    const basic: RegistryScanningConfiguration = { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [wildcard('team-*')] }] };
    expect(repositoryScanning(basic, { name: 'team-a', scanOnPush: false })).toEqual({ scanType: 'BASIC', scanFrequency: 'SCAN_ON_PUSH', scanOnPush: true, appliedScanFilters: [wildcard('team-*')] });
    expect(repositoryScanning(basic, { name: 'other', scanOnPush: true })).toEqual({ scanType: 'BASIC', scanFrequency: 'SCAN_ON_PUSH', scanOnPush: true, appliedScanFilters: [] });
    expect(repositoryScanning(DEFAULT_SCANNING_CONFIGURATION, { name: 'other', scanOnPush: false }).scanFrequency).toBe('MANUAL');
  });

  it('enhanced: continuous before scan on push, and the repository’s scanOnPush does not count', () => {
    expect(repositoryScanning(enhanced, { name: 'prod/api', scanOnPush: false })).toMatchObject({ scanFrequency: 'CONTINUOUS_SCAN', appliedScanFilters: [wildcard('prod/*')] });
    expect(repositoryScanning(enhanced, { name: 'dev/api', scanOnPush: false })).toMatchObject({ scanFrequency: 'SCAN_ON_PUSH', scanOnPush: true });
    expect(repositoryScanning({ scanType: 'ENHANCED', rules: [] }, { name: 'dev/api', scanOnPush: true })).toMatchObject({ scanFrequency: 'MANUAL', scanOnPush: false });
  });
});

describe('checkScanningConfiguration', () => {
  const refused = (config: RegistryScanningConfiguration): string => {
    try {
      checkScanningConfiguration(config);
    } catch (err) {
      if (isDomainError(err) && err.subject === 'scanning-configuration') return err.message;
      throw err;
    }
    return 'accepted';
  };

  it('refuses continuous basic scanning and a frequency given twice; accepts ECR’s combinations', () => {
    expect(refused({ scanType: 'BASIC', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [wildcard('*')] }] })).toMatch(/CONTINUOUS_SCAN is not supported for scanType BASIC/);
    expect(refused({ scanType: 'ENHANCED', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [wildcard('a')] }, { scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [wildcard('b')] }] })).toMatch(/SCAN_ON_PUSH is repeated/);
    expect(refused({ scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [] }] })).toMatch(/repositoryFilters/);
    expect(refused({ scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [wildcard('*')] }] })).toBe('accepted');
    expect(refused({ scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [wildcard('*')] }] })).toBe('accepted');
  });
});
