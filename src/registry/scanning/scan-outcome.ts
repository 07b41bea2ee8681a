import { createHash } from 'node:crypto';
import { severityOfScore } from '../../scanning/advisories/cvss.js';
import type { Finding } from '../../scanning/advisories/match.js';
import type { ScanResult } from '../../scanning/scan.js';
import type { FindingSeverity, ImageScanRecord, ScanType, StoredCheck, StoredFinding } from './scan-records.js';

/** ECR basic scanning's description of an image whose OS it cannot judge. */
export const UNSUPPORTED_IMAGE = 'UnsupportedImageError: The operating system and/or package manager are not supported.';

const OS_TYPES = new Set(['dpkg', 'apk', 'rpm']);

/**
 * An advisory's severity as ECR's: Debian urgencies (`unimportant` is informational), GitHub's
 * words (`MODERATE` is medium); a bare CVSS vector or no word at all is UNDEFINED.
 */
export function findingSeverity(vendor: string | undefined): FindingSeverity {
  switch (vendor?.toLowerCase()) {
    case 'critical':
      return 'CRITICAL';
    case 'high':
      return 'HIGH';
    case 'medium':
    case 'moderate':
      return 'MEDIUM';
    case 'low':
      return 'LOW';
    case 'unimportant':
    case 'negligible':
      return 'INFORMATIONAL';
    default:
      return 'UNDEFINED';
  }
}

/** The identity of a finding across scans: a vulnerability of one package version at one path. */
const findingKey = (f: { vulnerabilityId: string; packageName: string; packageVersion: string; path: string }): string =>
  `${f.vulnerabilityId}\0${f.packageName}\0${f.packageVersion}\0${f.path}`;

function stored(f: Finding, firstObservedAt: number): StoredFinding {
  // Plain assignments: this runs for every finding of every image of a re-evaluation pass.
  const p = f.package;
  let severity = findingSeverity(f.severity);
  // Without the advisory's word, Inspector rates a finding by its CVSS score.
  if (severity === 'UNDEFINED' && f.cvss !== undefined) severity = severityOfScore(f.cvss.baseScore);
  const out: StoredFinding = { vulnerabilityId: f.vulnerabilityId, packageType: p.type, packageName: p.name, packageVersion: p.version, path: p.path, severity, source: f.source, firstObservedAt };
  if (p.sourceName !== undefined) out.sourceName = p.sourceName;
  if (p.arch !== undefined) out.arch = p.arch;
  if (f.fixedVersion !== undefined) out.fixedVersion = f.fixedVersion;
  if (f.severity !== undefined) out.vendorSeverity = f.severity;
  if (f.cvss !== undefined) out.cvss = f.cvss;
  if (f.summary !== undefined) out.description = f.summary;
  if (f.aliases?.length) out.aliases = f.aliases;
  return out;
}

/** What a scan (or re-evaluation) decides about an image: its record's fields, and its findings (first observed now). */
export type ScanOutcome = Pick<ImageScanRecord, 'status' | 'findingCount' | 'severityCounts' | 'completedAt' | 'scanType' | 'findingsDigest'> &
  Partial<Pick<ImageScanRecord, 'description' | 'failure' | 'vulnerabilitySourceUpdatedAt' | 'advisoriesRevision'>> & { findings: StoredFinding[]; checks: StoredCheck[] };

/** A digest of what findings and checks say, without when they were observed (findings alone digest as they did before the checks). */
function digestOf(findings: readonly StoredFinding[], checks: readonly StoredCheck[] = []): string {
  const fields = findings.map((f) => {
    const said = [f.vulnerabilityId, f.packageType, f.packageName, f.packageVersion, f.sourceName, f.arch, f.path, f.fixedVersion, f.severity, f.vendorSeverity, f.description, f.aliases?.join(','), f.source];
    // A vector only when there is one: findings without digest as they did before vectors were kept.
    if (f.cvss !== undefined) said.push(f.cvss.vector);
    return said.join('\u0000');
  });
  for (const c of checks) fields.push(['check', c.code, c.level, c.severity, ...c.alerts].join('\u0000'));
  return createHash('sha256').update(fields.join('\n')).digest('base64url');
}

/** The findings part of an outcome without findings. */
const noFindings = { findings: [], checks: [], findingCount: 0, findingsDigest: digestOf([]), severityCounts: {} };

/** The findings with the firstObservedAt of those seen before (same vulnerability, package version and path). */
export function carryFirstObserved(findings: readonly StoredFinding[], previous: readonly StoredFinding[]): StoredFinding[] {
  const firstSeen = new Map(previous.map((f) => [findingKey(f), f.firstObservedAt]));
  return findings.map((f) => {
    const seen = firstSeen.get(findingKey(f));
    return seen === undefined || seen === f.firstObservedAt ? f : { ...f, firstObservedAt: seen };
  });
}

/**
 * The outcome of a scan for the record. Basic scanning judges OS packages only, as ECR's does, and
 * fails with ECR's UnsupportedImageError when it cannot (no OS packages, or an OS without
 * advisories); enhanced scanning also judges language packages and fails only for an image in
 * which nothing is known. The image checks (`checks`) count among a basic scan's findings. Findings are first observed `now` here; {@link carryFirstObserved}
 * gives those seen before their first time back.
 */
export function scanOutcome(result: ScanResult, options: { scanType: ScanType; continuous: boolean; now: number; revision: string; checks?: readonly StoredCheck[] }): ScanOutcome {
  const { scanType, now } = options;
  const osPackages = result.inventory.packages.filter((p) => OS_TYPES.has(p.type));
  const judged = scanType === 'BASIC' ? osPackages.length > 0 && result.osNotMatched === undefined : result.inventory.packages.length > 0;
  const base = {
    scanType,
    completedAt: now,
    advisoriesRevision: options.revision,
    ...(result.advisoriesUpdatedAt !== undefined && { vulnerabilitySourceUpdatedAt: result.advisoriesUpdatedAt }),
  };
  if (!judged) {
    const why = result.osNotMatched ?? (result.inventory.packages.length === 0 ? undefined : 'the image has no OS packages');
    return { ...base, status: 'FAILED', failure: 'unsupported', description: why ? `${UNSUPPORTED_IMAGE} (${why})` : UNSUPPORTED_IMAGE, ...noFindings };
  }
  const findings = result.findings.filter((f) => scanType === 'ENHANCED' || OS_TYPES.has(f.package.type)).map((f) => stored(f, now));
  // Inspector has no finding type for configuration checks: enhanced scans leave them out.
  const checks = scanType === 'BASIC' ? [...(options.checks ?? [])] : [];
  const severityCounts: Partial<Record<FindingSeverity, number>> = {};
  for (const f of [...findings, ...checks]) severityCounts[f.severity] = (severityCounts[f.severity] ?? 0) + 1;
  return {
    ...base,
    status: options.continuous ? 'ACTIVE' : 'COMPLETE',
    ...(options.continuous && { description: 'Continuous scan is selected for image.' }),
    ...(!options.continuous && { description: 'The scan was completed successfully.' }),
    findings,
    checks,
    findingCount: findings.length + checks.length,
    findingsDigest: digestOf(findings, checks),
    severityCounts,
  };
}

/** The outcome of a scan that could not read the image (a corrupt or missing layer). */
export function failedOutcome(err: unknown, scanType: ScanType, now: number): ScanOutcome {
  return { scanType, status: 'FAILED', failure: 'error', description: `ScanError: ${(err as Error).message}`, ...noFindings, completedAt: now };
}
