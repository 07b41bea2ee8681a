import { describe, expect, it } from 'vitest';
import { compareMaven } from '../versions/maven.js';
import { comparePep440 } from '../versions/pep440.js';
import { compareSemVer } from '../versions/semver.js';
import type { OsvRange } from './advisory-db.js';
import { osvAffects, osvFixedVersions } from './osv-range.js';

const eco = (...events: OsvRange['events']): OsvRange => ({ type: 'ECOSYSTEM', events });

describe('osvAffects', () => {
  it.each([
    ['below the fix', '4.17.11', true],
    ['at the fix', '4.17.12', false],
    ['above the fix', '4.17.21', false],
    ['a pre-release of the fix', '4.17.12-rc.1', true],
  ])('introduced 0, fixed 4.17.12: %s', (_, version, affected) => {
    expect(osvAffects(version, [eco({ introduced: '0' }, { fixed: '4.17.12' })], [], compareSemVer)).toBe(affected);
  });

  it('takes events in version order, whatever order the record lists them in (two ranges in one)', () => {
    const range = { type: 'SEMVER', events: [{ fixed: '1.21.3' }, { introduced: '1.21.0-0' }, { fixed: '1.20.10' }, { introduced: '0' }] };
    expect(['1.20.9', '1.20.10', '1.21.0', '1.21.2', '1.21.3', '1.22.0'].map((v) => osvAffects(v, [range], [], compareSemVer))).toEqual([true, false, true, true, false, false]);
  });

  it('last_affected includes its own version; limit caps the range', () => {
    expect(['2.0', '2.5', '2.6'].map((v) => osvAffects(v, [eco({ introduced: '2.0' }, { last_affected: '2.5' })], [], comparePep440))).toEqual([true, true, false]);
    expect(['1.0', '1.9', '2.0'].map((v) => osvAffects(v, [eco({ introduced: '0' }, { limit: '2.0' })], [], comparePep440))).toEqual([true, true, false]);
    expect(osvAffects('9.9', [eco({ introduced: '0' }, { limit: '*' })], [], comparePep440)).toBe(true);
  });

  it('compares ECOSYSTEM ranges with the ecosystem\'s order (Maven: 2.0-beta9 < 2.0 < 2.12.2)', () => {
    const log4shell = [eco({ introduced: '2.13.0' }, { fixed: '2.15.0' }), eco({ introduced: '2.0-beta9' }, { fixed: '2.12.2' })];
    expect(['2.0-beta8', '2.0-beta9', '2.0', '2.12.1', '2.12.2', '2.13.0', '2.14.1', '2.15.0'].map((v) => osvAffects(v, log4shell, [], compareMaven))).toEqual([false, true, true, true, false, true, true, false]);
    expect(osvFixedVersions('2.11.0', log4shell, compareMaven)).toEqual(['2.12.2', '2.15.0']);
  });

  it('counts an explicitly listed version and skips GIT ranges', () => {
    expect(osvAffects('1.0.3', [{ type: 'GIT', events: [{ introduced: '0' }] }], ['1.0.3'], compareSemVer)).toBe(true);
    expect(osvAffects('1.0.4', [{ type: 'GIT', events: [{ introduced: '0' }] }], ['1.0.3'], compareSemVer)).toBe(false);
  });
});
