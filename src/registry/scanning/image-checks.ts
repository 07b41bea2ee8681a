import { lintImage, type ImageConfigDocument, type ImageLevel } from '../../lint/image-checks.js';
import type { FileFact } from '../../scanning/inventory/types.js';
import type { FindingSeverity, StoredCheck } from './scan-records.js';

/**
 * dockle's levels as ECR severities. FATAL is HIGH rather than CRITICAL: the checks say what an
 * image risks, not that it can be exploited as it stands, and ECR keeps CRITICAL for the worst
 * vulnerabilities. WARN is MEDIUM, INFO is INFORMATIONAL (it is advice, as ECR's informational
 * findings are).
 */
export const CHECK_SEVERITY: Record<ImageLevel, FindingSeverity> = { FATAL: 'HIGH', WARN: 'MEDIUM', INFO: 'INFORMATIONAL' };

/**
 * The image checks of a scanned image: its config, the file facts of its merged layers, and its
 * tags when scanned (`latest` among them is what DKL-DI-0006 looks at).
 */
export function imageChecks(config: ImageConfigDocument, files: readonly FileFact[], tags: readonly string[]): StoredCheck[] {
  const tag = tags.includes('latest') ? 'latest' : (tags[0] ?? '');
  return lintImage(config, files, tag).map((f) => ({ code: f.code, title: f.title, level: f.level, severity: CHECK_SEVERITY[f.level], alerts: f.alerts }));
}

/** An image config blob as the checks read it; anything unparsable reads as an empty config. */
export function parseImageConfig(bytes: Buffer): ImageConfigDocument {
  try {
    const json = JSON.parse(bytes.toString('utf8')) as unknown;
    return json !== null && typeof json === 'object' ? (json as ImageConfigDocument) : {};
  } catch {
    return {};
  }
}
