import type { ImageInventory, InstalledPackage } from '../inventory/types.js';
import { compareApk } from '../versions/apk.js';
import { COMPARATORS, type VersionScheme } from '../versions/compare.js';
import { compareDpkg } from '../versions/dpkg.js';
import type { AdvisoryLookup, OsvSeverity } from './advisory-db.js';
import { cvssV3, type CvssV3 } from './cvss.js';
import { OSV_ECOSYSTEMS } from './import-osv.js';
import { osvAffects, osvFixedVersions } from './osv-range.js';

/** One vulnerability of one installed package. */
export interface Finding {
  vulnerabilityId: string;
  package: InstalledPackage;
  /** The version that fixes it (the lowest above the installed one), when there is one. */
  fixedVersion?: string;
  severity?: string;
  /** The advisory's CVSS v3 vector and its base score, when it gives one (OSV records; Debian's and Alpine's give none). */
  cvss?: CvssV3;
  summary?: string;
  aliases?: string[];
  /** The advisory source that says so (`debian-security-tracker`, `osv:npm`, …). */
  source: string;
}

/** The first of an OSV record's vectors that scores as CVSS v3 (a record may also give a v2 or v4 vector). */
function scoredVector(severities: readonly OsvSeverity[]): CvssV3 | undefined {
  for (const s of severities) {
    const scored = s.type === 'CVSS_V3' ? cvssV3(s.score) : undefined;
    if (scored) return scored;
  }
  return undefined;
}

/** A finding without its package: what the advisories say about one package version. */
type Verdict = Omit<Finding, 'package'>;

/** The verdicts on one package version, kept in the lookup's `derived` map when it has one. */
function derive(db: AdvisoryLookup, key: string, compute: () => Verdict[]): Verdict[] {
  const known = db.derived?.get(key) as Verdict[] | undefined;
  if (known) return known;
  const verdicts = compute();
  db.derived?.set(key, verdicts);
  return verdicts;
}

/**
 * The findings of each package object, per lookup with a `derived` map (a pass over many images).
 * Cached layer inventories are shared objects, so a re-evaluation meets the same package objects
 * image after image: it takes their findings here without building a key or a finding again.
 * `context` is what else the verdicts depend on (the image's release for an OS package).
 */
const byPackage = new WeakMap<AdvisoryLookup, WeakMap<InstalledPackage, { context: string; findings: Finding[] }>>();

function packageMemo(db: AdvisoryLookup): WeakMap<InstalledPackage, { context: string; findings: Finding[] }> | undefined {
  if (!db.derived) return undefined;
  let memo = byPackage.get(db);
  if (!memo) byPackage.set(db, (memo = new WeakMap()));
  return memo;
}

/** A package's findings: from the memo when its context is the same, else its verdicts made findings. */
function packageFindings(memo: ReturnType<typeof packageMemo>, pkg: InstalledPackage, context: string, verdicts: () => Verdict[]): Finding[] {
  const known = memo?.get(pkg);
  if (known?.context === context) return known.findings;
  const findings = verdicts().map((v): Finding => ({ ...v, package: pkg }));
  memo?.set(pkg, { context, findings });
  return findings;
}

/** What a match found, and what it could not judge. */
export interface MatchResult {
  findings: Finding[];
  /** Why the OS packages were not matched, when they were not (an OS without imported advisories). */
  osNotMatched?: string;
}

/** The scheme of each OSV ecosystem's versions (OSV ranges of type SEMVER always use semver). */
const OSV_SCHEMES: Record<string, VersionScheme> = { npm: 'semver', Go: 'semver', PyPI: 'pep440', Maven: 'maven' };

/** `3.19.1` → `v3.19`: Alpine's secdb is per minor release. */
export function alpineRelease(versionId: string | undefined): string | undefined {
  const m = /^(\d+)\.(\d+)/.exec(versionId ?? '');
  return m ? `v${m[1]}.${m[2]}` : undefined;
}

/**
 * Matches an inventory against the advisory database. OS packages are judged only by their
 * distribution's own advisories for the image's release — Debian by release codename and source
 * package, Alpine by minor release and origin — so a fix the distribution backported into an older
 * version is honoured. Language packages are judged by OSV's ranges for their ecosystem. The
 * findings returned may be shared with other matches through the same lookup: they must not be changed.
 */
export function matchInventory(inventory: ImageInventory, db: AdvisoryLookup): MatchResult {
  const findings: Finding[] = [];
  const memo = packageMemo(db);
  const os = inventory.os;
  let osNotMatched: string | undefined;
  const osPackages = inventory.packages.filter((p) => p.type === 'dpkg' || p.type === 'apk' || p.type === 'rpm');
  const distro = os?.id === 'debian' ? { name: 'debian', release: os.versionCodename, compare: compareDpkg } : os?.id === 'alpine' ? { name: 'alpine', release: alpineRelease(os.versionId), compare: compareApk } : undefined;
  if (osPackages.length > 0) {
    if (!os) osNotMatched = 'the image has no os-release';
    else if (!distro) osNotMatched = `no advisories are imported for ${os.id} (minato imports Debian's and Alpine's)`;
    else if (!distro.release) osNotMatched = `the ${os.id} release is not known (os-release has no ${os.id === 'debian' ? 'VERSION_CODENAME' : 'VERSION_ID'})`;
    else if (!db.hasRelease(distro.name, distro.release)) osNotMatched = `no advisories are imported for ${os.id} ${distro.release}`;
  }
  if (distro?.release && osNotMatched === undefined) {
    const context = `${distro.name}\0${distro.release}`;
    for (const pkg of osPackages) {
      if (pkg.type === 'rpm') continue;
      const source = pkg.sourceName ?? pkg.name;
      const installed = pkg.sourceVersion ?? pkg.version;
      const pkgFindings = packageFindings(memo, pkg, context, () => derive(db, `${context}\0${source}\0${installed}`, () =>
        db
          .osAdvisories(distro.name, distro.release!, source)
          .filter((adv) => adv.fixedVersion === undefined || distro.compare(installed, adv.fixedVersion) < 0)
          .map((adv): Verdict => ({ vulnerabilityId: adv.vulnId, ...(adv.fixedVersion && { fixedVersion: adv.fixedVersion }), ...(adv.severity && { severity: adv.severity }), source: adv.source })),
      ));
      for (const f of pkgFindings) findings.push(f);
    }
  }
  for (const pkg of inventory.packages) {
    if (pkg.type === 'dpkg' || pkg.type === 'apk' || pkg.type === 'rpm') continue;
    const ecosystem = OSV_ECOSYSTEMS[pkg.type];
    const compare = COMPARATORS[OSV_SCHEMES[ecosystem]!];
    const pkgFindings = packageFindings(memo, pkg, '', () => derive(db, `${ecosystem}\0${pkg.name}\0${pkg.version}`, () =>
      db
        .osvAffected(ecosystem, pkg.name)
        .filter((adv) => osvAffects(pkg.version, adv.ranges, adv.versions, compare))
        .map((adv): Verdict => {
          const fixed = osvFixedVersions(pkg.version, adv.ranges, compare)[0];
          const cvss = scoredVector(adv.cvss);
          return {
            vulnerabilityId: adv.vulnId,
            ...(fixed && { fixedVersion: fixed }),
            ...(adv.severity && { severity: adv.severity }),
            ...(cvss && { cvss }),
            ...(adv.summary && { summary: adv.summary }),
            ...(adv.aliases.length > 0 && { aliases: adv.aliases }),
            source: adv.source,
          };
        }),
    ));
    for (const f of pkgFindings) findings.push(f);
  }
  return { findings, ...(osNotMatched && { osNotMatched }) };
}
