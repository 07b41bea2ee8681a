import type { InstalledPackage } from './types.js';
import { readZip } from './zip.js';

/** Java archives, by file name. */
export const JAVA_ARCHIVE = /\.(?:jar|war|ear|par|sar|jpi|hpi)$/i;
const MAX_DEPTH = 4;

function properties(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#!=:\s][^=:]*?)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m) map.set(m[1]!, m[2]!);
  }
  return map;
}

/** MANIFEST.MF main section: `Key: value` lines, continuation lines start with one space. */
function manifest(text: string): Map<string, string> {
  const map = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (line.startsWith(' ') && last) map.set(last, map.get(last)! + line.slice(1));
    else {
      const colon = line.indexOf(':');
      if (colon > 0) map.set((last = line.slice(0, colon)), line.slice(colon + 1).trim());
    }
  }
  return map;
}

/**
 * The Maven artifacts of a Java archive, nested archives included (`BOOT-INF/lib/*.jar`,
 * `WEB-INF/lib/*.jar`): every `META-INF/maven/<group>/<artifact>/pom.properties`, as `group:artifact`
 * (how OSV names Maven packages). An archive without one falls back on its manifest when that names
 * a group (`Implementation-Vendor-Id`) and a version; a shaded jar may carry several pom.properties.
 */
export function parseJavaArchive(zip: Buffer, path: string, depth = 0): InstalledPackage[] {
  const packages: InstalledPackage[] = [];
  const entries = readZip(zip);
  for (const entry of entries) {
    if (/^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(entry.name)) {
      const p = properties(entry.read().toString('utf8'));
      const group = p.get('groupId');
      const artifact = p.get('artifactId');
      const version = p.get('version');
      if (group && artifact && version) packages.push({ type: 'java', name: `${group}:${artifact}`, version, path });
    } else if (JAVA_ARCHIVE.test(entry.name) && depth < MAX_DEPTH) {
      packages.push(...parseJavaArchive(entry.read(), `${path}!${entry.name}`, depth + 1));
    }
  }
  if (!packages.some((p) => p.path === path)) {
    const mf = entries.find((e) => e.name === 'META-INF/MANIFEST.MF');
    if (mf) {
      const m = manifest(mf.read().toString('utf8'));
      const group = m.get('Implementation-Vendor-Id');
      const version = m.get('Implementation-Version') ?? m.get('Bundle-Version');
      const artifact = m.get('Implementation-Title') ?? path.split(/[/!]/).at(-1)!.replace(/-\d[^/]*$|\.\w+$/, '');
      if (group && version) packages.push({ type: 'java', name: `${group}:${artifact}`, version, path });
    }
  }
  return packages;
}
