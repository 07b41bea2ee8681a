import { invalidScanningConfiguration } from '../errors.js';
import type { RegistryScanningConfiguration, ScanFrequency, ScanningRepositoryFilter, ScanType } from './scan-records.js';

/** A registry that was never configured: basic scanning, no rules (each repository's scanOnPush decides). */
export const DEFAULT_SCANNING_CONFIGURATION: RegistryScanningConfiguration = { scanType: 'BASIC', rules: [] };

/** Which scan frequencies each scan type accepts, as ECR documents them. */
const FREQUENCIES: Record<ScanType, readonly ScanFrequency[]> = {
  BASIC: ['SCAN_ON_PUSH', 'MANUAL'],
  ENHANCED: ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN', 'MANUAL'],
};

/**
 * Checks a PutRegistryScanningConfiguration (the model has checked shapes, patterns and list
 * sizes): basic scanning cannot scan continuously, and each frequency has at most one rule.
 */
export function checkScanningConfiguration(config: RegistryScanningConfiguration): void {
  const seen = new Set<ScanFrequency>();
  for (const rule of config.rules) {
    if (!FREQUENCIES[config.scanType].includes(rule.scanFrequency)) {
      throw invalidScanningConfiguration(`Invalid parameter at 'rules.scanFrequency' failed to satisfy constraint: 'scanFrequency ${rule.scanFrequency} is not supported for scanType ${config.scanType}'`);
    }
    if (seen.has(rule.scanFrequency)) throw invalidScanningConfiguration(`Invalid parameter at 'rules' failed to satisfy constraint: 'only one rule per scanFrequency is allowed, ${rule.scanFrequency} is repeated'`);
    seen.add(rule.scanFrequency);
    if (rule.repositoryFilters.length === 0) throw invalidScanningConfiguration(`Invalid parameter at 'rules.repositoryFilters' failed to satisfy constraint: 'Member must have length greater than or equal to 1'`);
  }
}

/** Whether a WILDCARD filter (`*` matches any run of characters, also none) matches a repository name. */
export function filterMatches(filter: string, name: string): boolean {
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(name);
}

/** How a repository is scanned: what BatchGetRepositoryScanningConfiguration reports for it. */
export interface RepositoryScanning {
  scanType: ScanType;
  scanFrequency: ScanFrequency;
  scanOnPush: boolean;
  appliedScanFilters: ScanningRepositoryFilter[];
}

/**
 * The scanning that applies to a repository. Enhanced scanning follows the registry's rules only,
 * a continuous rule before a scan-on-push rule; basic scanning takes a matching scan-on-push rule,
 * else the repository's own scanOnPush, else manual scans only.
 */
export function repositoryScanning(config: RegistryScanningConfiguration, repository: { name: string; scanOnPush: boolean }): RepositoryScanning {
  const order: ScanFrequency[] = config.scanType === 'ENHANCED' ? ['CONTINUOUS_SCAN', 'SCAN_ON_PUSH'] : ['SCAN_ON_PUSH'];
  for (const frequency of order) {
    const rule = config.rules.find((r) => r.scanFrequency === frequency);
    const applied = rule?.repositoryFilters.filter((f) => filterMatches(f.filter, repository.name)) ?? [];
    if (applied.length > 0) return { scanType: config.scanType, scanFrequency: frequency, scanOnPush: true, appliedScanFilters: applied };
  }
  if (config.scanType === 'BASIC' && repository.scanOnPush) return { scanType: 'BASIC', scanFrequency: 'SCAN_ON_PUSH', scanOnPush: true, appliedScanFilters: [] };
  return { scanType: config.scanType, scanFrequency: 'MANUAL', scanOnPush: false, appliedScanFilters: [] };
}
