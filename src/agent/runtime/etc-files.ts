import { isIP } from 'node:net';
import { invalidParameter } from '../../lib/errors.js';

/** The container's /etc/hosts: Docker's localhost entries, then the extra hosts in order. */
export function hostsFile(extraHosts: ReadonlyArray<{ hostname: string; ipAddress: string }> = []): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const { hostname, ipAddress } of extraHosts) {
    if (isIP(ipAddress) === 0) throw invalidParameter(`invalid IP address in extraHosts: ${ipAddress}`);
    if (!/^[^\s#]+$/.test(hostname)) throw invalidParameter(`invalid hostname in extraHosts: ${hostname}`);
    lines.push(`${ipAddress}\t${hostname}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A valid UTS hostname: at most 63 characters of letters, digits, dots and dashes. */
export function checkHostname(hostname: string): string {
  if (!/^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,61}[a-zA-Z0-9])?$/.test(hostname)) throw invalidParameter(`invalid hostname: ${hostname}`);
  return hostname;
}

/** The default hostname of a container: its id as a hostname (Docker uses the short id). */
export function defaultHostname(id: string): string {
  const h = id.replace(/[^a-zA-Z0-9.-]/g, '-').slice(0, 63).replace(/^[.-]+|[.-]+$/g, '');
  return h === '' ? 'container' : h;
}

const LOOPBACK_NAMESERVER = /^\s*nameserver\s+(127\.[0-9.]+|::1)\s*$/;

/**
 * The container's /etc/resolv.conf from the host's: a loopback nameserver (a local stub resolver)
 * is unreachable from the container's network namespace, so such lines are dropped, as Docker
 * does. Docker then falls back to public resolvers; we do not invent any, so a host with only a
 * local stub gives containers no nameserver.
 */
export function resolvConfFile(hostResolvConf: string | undefined): string {
  const lines = (hostResolvConf ?? '').split('\n').filter((l) => !LOOPBACK_NAMESERVER.test(l));
  const kept = lines.filter((l) => l.trim() !== '');
  if (!kept.some((l) => /^\s*nameserver\s/.test(l))) kept.unshift('# no usable nameserver on the host');
  return `${kept.join('\n')}\n`;
}
