import type {
  BatchGetRepositoryScanningConfigurationRequest,
  DescribeImageScanFindingsRequest,
  PutRegistryScanningConfigurationRequest,
  StartImageScanRequest,
} from '@aws-sdk/client-ecr';
import { decodeToken, encodeToken } from '../../lib/pagination.js';
import { invalidRegistryParameter } from '../../registry/errors.js';
import type { Registry } from '../../registry/registry.js';
import type { RegistryScanningRule, ScanType } from '../../registry/scanning/scan-records.js';
import type { OperationHandler } from '../../server/service.js';
import { pageSize } from './paging.js';
import { basicFinding, checkFinding, enhancedFinding, findingsSummary, scanStatus } from './scan-findings.js';

/** An ImageIdentifier as the scans take it; one of digest and tag is required. */
function reference(id: { imageDigest?: string; imageTag?: string } | undefined): { digest?: string; tag?: string } {
  if (id?.imageDigest === undefined && id?.imageTag === undefined) throw invalidRegistryParameter('Invalid request parameters: both tag and digest cannot be null');
  return { ...(id.imageDigest !== undefined && { digest: id.imageDigest }), ...(id.imageTag !== undefined && { tag: id.imageTag }) };
}

/** Handlers of image scanning: the registry and repository scanning configuration, scans and their findings. */
export function scanningHandlers(registry: Registry): Record<string, OperationHandler> {
  const { scans, repositories } = registry;
  return {
    async GetRegistryScanningConfiguration(_input: object, { scope }) {
      const config = await scans.configuration(scope.region);
      return { registryId: scope.accountId, scanningConfiguration: { scanType: config.scanType, rules: config.rules } };
    },
    async PutRegistryScanningConfiguration(input: PutRegistryScanningConfigurationRequest, { scope }) {
      const config = await scans.putConfiguration(scope.region, {
        scanType: (input.scanType ?? 'BASIC') as ScanType,
        rules: (input.rules ?? []).map((r) => ({ scanFrequency: r.scanFrequency, repositoryFilters: (r.repositoryFilters ?? []).map((f) => ({ filter: f.filter!, filterType: 'WILDCARD' })) }) as RegistryScanningRule),
      });
      return { registryScanningConfiguration: { scanType: config.scanType, rules: config.rules } };
    },
    async BatchGetRepositoryScanningConfiguration(input: BatchGetRepositoryScanningConfigurationRequest, { scope }) {
      const scanningConfigurations = [];
      const failures = [];
      for (const name of input.repositoryNames ?? []) {
        const repository = await repositories.find(scope.region, name);
        if (!repository) {
          failures.push({ repositoryName: name, failureCode: 'REPOSITORY_NOT_FOUND', failureReason: 'REPOSITORY_NOT_FOUND' });
          continue;
        }
        const s = await scans.scanningOf(repository);
        scanningConfigurations.push({ repositoryArn: repository.arn, repositoryName: repository.name, scanOnPush: s.scanOnPush, scanFrequency: s.scanFrequency, appliedScanFilters: s.appliedScanFilters });
      }
      return { scanningConfigurations, failures };
    },
    async StartImageScan(input: StartImageScanRequest, { scope }) {
      const { repository, record, scan } = await scans.start(scope, input.repositoryName!, reference(input.imageId));
      return {
        registryId: repository.registryId,
        repositoryName: repository.name,
        imageId: { imageDigest: record.digest, ...(input.imageId?.imageTag !== undefined && { imageTag: input.imageId.imageTag }) },
        imageScanStatus: scanStatus(scan),
      };
    },
    async DescribeImageScanFindings(input: DescribeImageScanFindingsRequest, { scope }) {
      const max = pageSize('DescribeImageScanFindings', input.maxResults);
      const { repository, record, scan, findings: vulnerabilities, checks } = await scans.findings(scope, input.repositoryName!, reference(input.imageId));
      const head = {
        registryId: repository.registryId,
        repositoryName: repository.name,
        imageId: { imageDigest: record.digest, ...(input.imageId?.imageTag !== undefined && { imageTag: input.imageId.imageTag }) },
        imageScanStatus: scanStatus(scan),
      };
      const summary = findingsSummary(scan);
      if (!summary) return head;
      // A token is good for the scan it was made from: a new scan starts the listing again.
      const listing = `scan-findings:${repository.uid}:${record.digest}:${scan.completedAt ?? 0}`;
      const start = Number(decodeToken(listing, input.nextToken) ?? 0);
      // The image checks follow the vulnerabilities (basic scans only: enhanced ones record none).
      const total = vulnerabilities.length + checks.length;
      const more = start + max < total;
      const findings =
        scan.scanType === 'ENHANCED'
          ? { enhancedFindings: vulnerabilities.slice(start, start + max).map((f) => enhancedFinding(f, { repository, image: record, scan })) }
          : { findings: [...vulnerabilities.slice(start, start + max).map(basicFinding), ...checks.slice(Math.max(0, start - vulnerabilities.length), Math.max(0, start + max - vulnerabilities.length)).map(checkFinding)] };
      return { ...head, imageScanFindings: { ...summary, ...findings }, ...(more && { nextToken: encodeToken(listing, String(start + max)) }) };
    },
  };
}
