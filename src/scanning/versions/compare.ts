import { compareApk } from './apk.js';
import { compareDpkg } from './dpkg.js';
import { compareMaven } from './maven.js';
import { comparePep440 } from './pep440.js';
import { compareRpm } from './rpm.js';
import { compareSemVer } from './semver.js';

/** A version order: negative, zero or positive, as `a` is older than, equal to or newer than `b`. */
export type CompareVersions = (a: string, b: string) => number;

/** The version schemes the scanner knows. */
export type VersionScheme = 'dpkg' | 'apk' | 'rpm' | 'semver' | 'pep440' | 'maven';

export const COMPARATORS: Record<VersionScheme, CompareVersions> = {
  dpkg: compareDpkg,
  apk: compareApk,
  rpm: compareRpm,
  semver: compareSemVer,
  pep440: comparePep440,
  maven: compareMaven,
};
