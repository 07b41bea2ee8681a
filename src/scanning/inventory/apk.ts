import type { InstalledPackage } from './types.js';

/**
 * The packages of apk's database (`lib/apk/db/installed`): stanzas of `X:value` lines, P the name,
 * V the version, A the architecture, o the origin (the aport it was built from, which is what
 * Alpine's secdb lists).
 */
export function parseApkInstalled(text: string, path: string): InstalledPackage[] {
  const packages: InstalledPackage[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      if (line.length >= 2 && line[1] === ':') fields.set(line[0]!, line.slice(2).trim());
    }
    const name = fields.get('P');
    const version = fields.get('V');
    if (!name || !version) continue;
    packages.push({ type: 'apk', name, version, sourceName: fields.get('o') || name, sourceVersion: version, ...(fields.get('A') && { arch: fields.get('A')! }), path });
  }
  return packages;
}
