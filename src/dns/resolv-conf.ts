import { readFile, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { Upstream } from './forwarder.js';

/**
 * The nameservers of a resolv.conf text, in order (at most three, as the C library uses). Loopback
 * ones are kept: the forwarder runs on the host, where a local stub resolver is reachable.
 */
export function nameserversOf(text: string): string[] {
  const servers: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    // A scoped IPv6 address (fe80::1%eth0) is usable; its zone is not part of the address check.
    if (m && isIP(m[1]!.split('%')[0]!) !== 0) servers.push(m[1]!);
  }
  return servers.slice(0, 3);
}

/**
 * The upstreams of the host's resolv.conf at `path`, read again when the file changes (DHCP and
 * resolvconf rewrite it); none when it is missing.
 */
export function resolvConfUpstreams(path = '/etc/resolv.conf', port = 53): () => Promise<Upstream[]> {
  let cached: { mtimeMs: number; upstreams: Upstream[] } | undefined;
  return async () => {
    const info = await stat(path).catch(() => undefined);
    if (!info) return [];
    if (cached?.mtimeMs !== info.mtimeMs) {
      const text = await readFile(path, 'utf8').catch(() => '');
      cached = { mtimeMs: info.mtimeMs, upstreams: nameserversOf(text).map((host) => ({ host, port })) };
    }
    return cached.upstreams;
  };
}
