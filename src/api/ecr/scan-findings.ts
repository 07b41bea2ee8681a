import { createHash } from 'node:crypto';
import type { ManifestRecord, RepositoryRecord } from '../../registry/metadata/records.js';
import type { FindingSeverity, ImageScanRecord, StoredCheck, StoredFinding } from '../../registry/scanning/scan-records.js';
import { seconds } from './paging.js';

/** Where a vulnerability is described, by the advisory source that reported it. */
export function findingUri(f: Pick<StoredFinding, 'vulnerabilityId' | 'source'>): string {
  if (f.source.startsWith('debian')) return `https://security-tracker.debian.org/tracker/${f.vulnerabilityId}`;
  if (f.source.startsWith('alpine')) return `https://security.alpinelinux.org/vuln/${f.vulnerabilityId}`;
  return `https://osv.dev/vulnerability/${f.vulnerabilityId}`;
}

/** A basic finding (ImageScanFinding): ECR names the package in attributes. */
export function basicFinding(f: StoredFinding) {
  const vector = f.vendorSeverity?.startsWith('CVSS:3') ? [{ key: 'CVSS3_VECTOR', value: f.vendorSeverity }] : [];
  return {
    name: f.vulnerabilityId,
    ...(f.description !== undefined && { description: f.description }),
    uri: findingUri(f),
    severity: f.severity,
    attributes: [{ key: 'package_version', value: f.packageVersion }, { key: 'package_name', value: f.packageName }, ...vector],
  };
}

/** Where dockle describes its checkpoints. */
export const CHECKPOINTS_URI = 'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md';
/** ECR's limit on an attribute value. */
const MAX_ATTRIBUTE = 2048;

/**
 * An image check as a basic finding: named by dockle's code, described by its title, with dockle's
 * level and where it fired (one line each, cut to ECR's attribute limit) as attributes.
 */
export function checkFinding(c: StoredCheck) {
  const alerts = c.alerts.join('\n');
  return {
    name: c.code,
    description: c.title,
    uri: CHECKPOINTS_URI,
    severity: c.severity,
    attributes: [
      { key: 'dockle_level', value: c.level },
      { key: 'alerts', value: alerts.length > MAX_ATTRIBUTE ? `${alerts.slice(0, MAX_ATTRIBUTE - 1)}…` : alerts },
    ],
  };
}

/** Inspector's package managers, by the kind of package record. */
const PACKAGE_MANAGERS: Record<StoredFinding['packageType'], string> = { dpkg: 'OS', apk: 'OS', rpm: 'OS', npm: 'NODEPKG', python: 'PYTHONPKG', go: 'GOBINARY', java: 'JAR' };

/** A Debian version's parts as Inspector reports them: `1:9.2p1-2+deb12u2` → epoch 1, version 9.2p1, release 2+deb12u2. */
function debianParts(version: string): { epoch?: number; version: string; release?: string } {
  const m = /^(?:(\d+):)?(.+?)(?:-([^-]+))?$/.exec(version);
  if (!m) return { version };
  return { ...(m[1] !== undefined && { epoch: Number(m[1]) }), version: m[2]!, ...(m[3] !== undefined && { release: m[3] }) };
}

/** Inspector's severities: what ECR cannot rate is UNTRIAGED. */
const enhancedSeverity = (s: FindingSeverity): string => (s === 'UNDEFINED' ? 'UNTRIAGED' : s);

/** An enhanced finding (EnhancedImageScanFinding), in Amazon Inspector's shape. */
export function enhancedFinding(f: StoredFinding, ctx: { repository: RepositoryRecord; image: ManifestRecord; scan: ImageScanRecord }) {
  const { repository, image, scan } = ctx;
  const id = createHash('sha256').update(`${repository.uid}\0${image.digest}\0${f.vulnerabilityId}\0${f.packageName}\0${f.packageVersion}\0${f.path}`).digest('hex').slice(0, 32);
  const parts = f.packageType === 'dpkg' ? debianParts(f.packageVersion) : { version: f.packageVersion };
  const uri = findingUri(f);
  const observed = seconds(scan.completedAt ?? scan.requestedAt);
  return {
    awsAccountId: repository.registryId,
    ...(f.description !== undefined && { description: f.description }),
    findingArn: `arn:aws:inspector2:${repository.region}:${repository.registryId}:finding/${id}`,
    firstObservedAt: seconds(f.firstObservedAt),
    lastObservedAt: observed,
    updatedAt: observed,
    packageVulnerabilityDetails: {
      vulnerabilityId: f.vulnerabilityId,
      source: f.source,
      sourceUrl: uri,
      referenceUrls: [uri],
      ...(f.vendorSeverity !== undefined && { vendorSeverity: f.vendorSeverity }),
      ...(f.aliases && { relatedVulnerabilities: f.aliases }),
      ...(f.cvss && { cvss: [{ baseScore: f.cvss.baseScore, scoringVector: f.cvss.vector, source: f.source, version: f.cvss.version }] }),
      vulnerablePackages: [
        {
          name: f.packageName,
          ...parts,
          ...(f.arch !== undefined && { arch: f.arch }),
          filePath: f.path,
          packageManager: PACKAGE_MANAGERS[f.packageType],
          fixedInVersion: f.fixedVersion ?? 'NotAvailable',
        },
      ],
    },
    remediation: { recommendation: { text: f.fixedVersion !== undefined ? `Upgrade ${f.packageName} to version ${f.fixedVersion} or later.` : 'None Provided' } },
    resources: [
      {
        id: `arn:aws:ecr:${repository.region}:${repository.registryId}:repository/${repository.name}/${image.digest}`,
        type: 'AWS_ECR_CONTAINER_IMAGE',
        details: {
          awsEcrContainerImage: {
            imageHash: image.digest,
            ...(image.tags.length > 0 && { imageTags: image.tags }),
            registry: repository.registryId,
            repositoryName: repository.name,
            pushedAt: seconds(image.pushedAt),
          },
        },
      },
    ],
    // Inspector's score is the advisory's CVSS base score: minato makes none of Inspector's adjustments.
    ...(f.cvss && {
      score: f.cvss.baseScore,
      scoreDetails: { cvss: { score: f.cvss.baseScore, scoreSource: f.source, scoringVector: f.cvss.vector, version: f.cvss.version, adjustments: [] } },
    }),
    severity: enhancedSeverity(f.severity),
    status: 'ACTIVE',
    title: `${f.vulnerabilityId} - ${f.packageName}`,
    type: 'PACKAGE_VULNERABILITY',
    fixAvailable: f.fixedVersion !== undefined ? 'YES' : 'NO',
  };
}

/** ImageScanStatus. */
export const scanStatus = (scan: ImageScanRecord) => ({ status: scan.status, ...(scan.description !== undefined && { description: scan.description }) });

/** findingSeverityCounts in the scan type's own words. */
export function severityCounts(scan: ImageScanRecord): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [severity, n] of Object.entries(scan.severityCounts)) {
    const name = scan.scanType === 'ENHANCED' ? enhancedSeverity(severity as FindingSeverity) : severity;
    counts[name] = (counts[name] ?? 0) + n!;
  }
  return counts;
}

/** ImageScanFindingsSummary (DescribeImages), for a scan that produced findings. */
export function findingsSummary(scan: ImageScanRecord) {
  if (scan.status !== 'COMPLETE' && scan.status !== 'ACTIVE') return undefined;
  return {
    ...(scan.completedAt !== undefined && { imageScanCompletedAt: seconds(scan.completedAt) }),
    ...(scan.vulnerabilitySourceUpdatedAt !== undefined && { vulnerabilitySourceUpdatedAt: seconds(Date.parse(scan.vulnerabilitySourceUpdatedAt)) }),
    findingSeverityCounts: severityCounts(scan),
  };
}
