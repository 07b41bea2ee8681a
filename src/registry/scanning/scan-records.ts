import type { CvssV3 } from '../../scanning/advisories/cvss.js';
import type { PackageType } from '../../scanning/inventory/types.js';

/** ECR's scan types of a registry. */
export type ScanType = 'BASIC' | 'ENHANCED';
/** ECR's scan frequencies of a registry scanning rule. */
export type ScanFrequency = 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL';

/** A repository filter of a scanning rule: a name pattern where `*` matches anything. */
export interface ScanningRepositoryFilter {
  filter: string;
  filterType: 'WILDCARD';
}

/** One rule of the registry scanning configuration. */
export interface RegistryScanningRule {
  scanFrequency: ScanFrequency;
  repositoryFilters: ScanningRepositoryFilter[];
}

/** The registry scanning configuration of one region (`ecr-registry-scanning`, keyed by region). */
export interface RegistryScanningConfiguration {
  scanType: ScanType;
  rules: RegistryScanningRule[];
}

/** ECR's severities of basic findings. */
export type FindingSeverity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' | 'UNDEFINED';

/** One finding as kept: one vulnerability of one installed package. */
export interface StoredFinding {
  vulnerabilityId: string;
  packageType: PackageType;
  packageName: string;
  packageVersion: string;
  /** The source package (OS packages), what Debian's and Alpine's advisories name. */
  sourceName?: string;
  arch?: string;
  /** The file in the image that declares the package. */
  path: string;
  fixedVersion?: string;
  severity: FindingSeverity;
  /** The advisory's own word (Debian urgency, GitHub severity, a CVSS vector). */
  vendorSeverity?: string;
  /** The advisory's CVSS v3 vector with its base score (Inspector's score), when it gives one. */
  cvss?: CvssV3;
  description?: string;
  aliases?: string[];
  /** The advisory source (`debian-security-tracker`, `osv:npm`, …). */
  source: string;
  /** Epoch ms of the first scan that found it (kept across re-evaluations). */
  firstObservedAt: number;
}

/**
 * One image check in dockle's spirit that fired on an image (`lint/image-checks.ts`), reported
 * among its basic findings under dockle's code.
 */
export interface StoredCheck {
  /** dockle's code, e.g. `CIS-DI-0001`. */
  code: string;
  title: string;
  /** dockle's level. */
  level: 'FATAL' | 'WARN' | 'INFO';
  /** ECR's severity for the level (`image-checks.ts`). */
  severity: FindingSeverity;
  /** Where it fired (the files, the ENV keys, the history entries). */
  alerts: string[];
}

/**
 * The scan of one image (`ecr-image-scans`, keyed `<repository uid>/<digest>`; its findings are in
 * `ecr-image-scan-findings`). Written IN_PROGRESS
 * before the scan runs (in the push's own transaction for a scan on push), so a scan acknowledged
 * is never lost to a restart: on start every IN_PROGRESS record is scanned again.
 */
export interface ImageScanRecord {
  region: string;
  repositoryName: string;
  digest: string;
  status: 'IN_PROGRESS' | 'COMPLETE' | 'ACTIVE' | 'FAILED';
  description?: string;
  /** Why a scan failed, for re-evaluation: an unsupported OS may become supported by an import. */
  failure?: 'unsupported' | 'error';
  /** The scan type the findings were made for. */
  scanType: ScanType;
  /** Epoch ms of the last scan request (scan on push or StartImageScan): ECR allows one a day. */
  requestedAt: number;
  /** Epoch ms. */
  completedAt?: number;
  /** ECR's vulnerabilitySourceUpdatedAt: when the advisories the findings come from were imported (ISO 8601). */
  vulnerabilitySourceUpdatedAt?: string;
  /** The advisory database's revision the findings were made against. */
  advisoriesRevision?: string;
  /** What the findings say (not when they were seen): a re-evaluation that changes nothing writes no findings. */
  findingsDigest?: string;
  findingCount: number;
  severityCounts: Partial<Record<FindingSeverity, number>>;
}

/**
 * An image's findings (`ecr-image-scan-findings`, keyed as its scan record), apart from the record
 * so that listing records for a re-evaluation pass does not read every finding of every image.
 */
export interface ImageScanFindingsDoc {
  findings: StoredFinding[];
  /** The image checks that fired (basic scans only); absent when none did. */
  checks?: StoredCheck[];
}

/** The key of an image's scan record. */
export const scanKey = (uid: string, digest: string): string => `${uid}/${digest}`;
