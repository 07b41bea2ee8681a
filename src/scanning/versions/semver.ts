/**
 * Semantic versions as npm (node-semver) and Go modules compare them: `major.minor.patch`, then a
 * pre-release (`-alpha.1`) sorts before the release, its dot-separated identifiers compared numerically
 * when numeric (numeric before alphanumeric), else as ASCII strings, a longer list after its prefix.
 * Build metadata (`+…`) is ignored, so Go's `+incompatible` is equal to the bare version. Go's `v`
 * prefix (and npm's loose `v` and `=`) are dropped. Go pseudo-versions are ordinary pre-releases.
 */
export interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  prerelease: string[];
}

const SEMVER = /^[v=]?\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]*)?$/;

/** Parses a version, or undefined when it is not one. A missing minor or patch counts as 0 (Go's `v1.2`). */
export function parseSemVer(raw: string): SemVer | undefined {
  const m = SEMVER.exec(raw.trim());
  if (!m) return undefined;
  return {
    major: BigInt(m[1]!),
    minor: BigInt(m[2] ?? 0),
    patch: BigInt(m[3] ?? 0),
    prerelease: m[4] === undefined ? [] : m[4].split('.'),
  };
}

const NUMERIC = /^\d+$/;

function compareIdentifiers(a: string, b: string): number {
  const an = NUMERIC.test(a);
  const bn = NUMERIC.test(b);
  if (an && bn) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (an) return -1;
  if (bn) return 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

const cmp = (a: bigint, b: bigint): number => (a === b ? 0 : a < b ? -1 : 1);

/** Compares two semantic versions; a string that is not one sorts before every version, then by text. */
export function compareSemVer(a: string, b: string): number {
  const va = parseSemVer(a);
  const vb = parseSemVer(b);
  if (!va || !vb) {
    if (va) return 1;
    if (vb) return -1;
    return a === b ? 0 : a < b ? -1 : 1;
  }
  const core = cmp(va.major, vb.major) || cmp(va.minor, vb.minor) || cmp(va.patch, vb.patch);
  if (core !== 0) return core;
  if (va.prerelease.length === 0 && vb.prerelease.length === 0) return 0;
  if (va.prerelease.length === 0) return 1;
  if (vb.prerelease.length === 0) return -1;
  for (let i = 0; i < Math.max(va.prerelease.length, vb.prerelease.length); i++) {
    const x = va.prerelease[i];
    const y = vb.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareIdentifiers(x, y);
    if (c !== 0) return c;
  }
  return 0;
}
