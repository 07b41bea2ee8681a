import { parseControlStanzas } from './control-stanzas.js';
import type { InstalledPackage } from './types.js';

/**
 * The packages of a dpkg status file (`var/lib/dpkg/status`, or one file of `status.d/` as distroless
 * images keep them, which has no Status field). Only installed packages count: a package removed
 * but not purged stays in the file as `deinstall ok config-files`. `Source: name (version)` names
 * the source package, and its version when the binary's differs (binNMUs, `+b1`); Debian's
 * advisories are written against source packages.
 */
export function parseDpkgStatus(text: string, path: string): InstalledPackage[] {
  const packages: InstalledPackage[] = [];
  for (const stanza of parseControlStanzas(text)) {
    const name = stanza.get('Package');
    const version = stanza.get('Version');
    if (!name || !version) continue;
    const status = stanza.get('Status');
    if (status !== undefined && status.split(/\s+/)[2] !== 'installed') continue;
    const pkg: InstalledPackage = { type: 'dpkg', name, version, path };
    const arch = stanza.get('Architecture');
    if (arch) pkg.arch = arch;
    const source = /^(\S+)(?:\s+\((\S+)\))?/.exec(stanza.get('Source') ?? '');
    pkg.sourceName = source ? source[1]! : name;
    pkg.sourceVersion = source?.[2] ?? version;
    packages.push(pkg);
  }
  return packages;
}
