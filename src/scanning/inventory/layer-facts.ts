import { ACCOUNT_FILES, CONTENT_CHECKED_NAMES, PACKAGE_CACHE_FILE, baseName, isCredentialName } from '../../lib/image-files.js';

/** Account databases and `.npmrc` files larger than this are not read (real ones are a few KiB). */
export const MAX_FACT_CONTENT = 1024 * 1024;

/**
 * Whether the image checks need a regular file of a layer, from its path (relative), mode and size:
 * `content` when they read it, `entry` when its path and mode are enough, undefined otherwise.
 */
export function factKind(path: string, mode: number, size: number): 'content' | 'entry' | undefined {
  if ((ACCOUNT_FILES.has(path) || CONTENT_CHECKED_NAMES.has(baseName(path))) && size <= MAX_FACT_CONTENT) return 'content';
  if ((mode & 0o6000) !== 0 || isCredentialName(path) || PACKAGE_CACHE_FILE.test(path)) return 'entry';
  return undefined;
}
