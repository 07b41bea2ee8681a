import type { CompareVersions } from '../versions/compare.js';
import { compareSemVer } from '../versions/semver.js';
import type { OsvEvent, OsvRange } from './advisory-db.js';

const eventVersion = (e: OsvEvent): string => ('introduced' in e ? e.introduced : 'fixed' in e ? e.fixed : 'last_affected' in e ? e.last_affected : e.limit);

/**
 * Whether `version` is affected according to OSV `ranges` and `versions` (the OSV schema's
 * evaluation): in each SEMVER or ECOSYSTEM range, events are taken in version order and the last
 * one at or below the version decides — `introduced` turns affected on (`0` is below everything),
 * `fixed` turns it off at its version, `last_affected` just after, `limit` caps the range. GIT
 * ranges name commits and are skipped; SEMVER ranges compare as semver whatever the ecosystem; an explicit `versions` entry is affected whatever the ranges.
 */
export function osvAffects(version: string, ranges: readonly OsvRange[], versions: readonly string[], ecosystemCompare: CompareVersions): boolean {
  if (versions.includes(version)) return true;
  for (const range of ranges) {
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
    const compare = range.type === 'SEMVER' ? compareSemVer : ecosystemCompare;
    const events = [...range.events].sort((a, b) => {
      const x = eventVersion(a);
      const y = eventVersion(b);
      if ('introduced' in a && x === '0') return 'introduced' in b && y === '0' ? 0 : -1;
      if ('introduced' in b && y === '0') return 1;
      return compare(x, y);
    });
    let affected = false;
    let limited = false;
    for (const e of events) {
      if ('introduced' in e) {
        if (e.introduced === '0' || compare(version, e.introduced) >= 0) affected = true;
      } else if ('fixed' in e) {
        if (compare(version, e.fixed) >= 0) affected = false;
      } else if ('last_affected' in e) {
        if (compare(version, e.last_affected) > 0) affected = false;
      } else if (e.limit !== '*' && compare(version, e.limit) >= 0) {
        limited = true;
      }
    }
    if (affected && !limited) return true;
  }
  return false;
}

/** The fixed versions a range names above `version`, lowest first: what to upgrade to. */
export function osvFixedVersions(version: string, ranges: readonly OsvRange[], ecosystemCompare: CompareVersions): string[] {
  const fixes = ranges
    .filter((r) => r.type === 'SEMVER' || r.type === 'ECOSYSTEM')
    .flatMap((r) => {
      const compare = r.type === 'SEMVER' ? compareSemVer : ecosystemCompare;
      return r.events.flatMap((e) => ('fixed' in e && compare(e.fixed, version) > 0 ? [e.fixed] : []));
    });
  return [...new Set(fixes)].sort(ecosystemCompare);
}
