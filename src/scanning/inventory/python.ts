import type { InstalledPackage } from './types.js';

/** `*.dist-info/METADATA`, `*.egg-info/PKG-INFO`, or an `*.egg-info` file. */
export const PYTHON_METADATA = /(?:\.dist-info\/METADATA|\.egg-info\/PKG-INFO|\.egg-info)$/;

/**
 * The package of Python core metadata (RFC 822-style headers up to the first blank line). The name
 * is normalised as PEP 503 does (`Foo_Bar` → `foo-bar`), which is how OSV names PyPI packages.
 */
export function parsePythonMetadata(text: string, path: string): InstalledPackage[] {
  let name: string | undefined;
  let version: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') break;
    const m = /^(Name|Version):\s*(.+?)\s*$/.exec(line);
    if (m?.[1] === 'Name') name = m[2];
    if (m?.[1] === 'Version') version = m[2];
  }
  if (!name || !version) return [];
  return [{ type: 'python', name: normalizePythonName(name), version, path }];
}

export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
