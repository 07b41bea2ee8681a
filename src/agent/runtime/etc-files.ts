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

/** Nameservers and search domains a container definition sets (dnsServers, dnsSearchDomains). */
export interface DnsSettings {
  servers?: readonly string[];
  search?: readonly string[];
}

/**
 * The container's /etc/resolv.conf when the definition sets DNS, as Docker builds it: the given
 * nameservers replace the host's, the given search domains replace the host's `search` and
 * `domain` lines, and the host's `options` stay. Without DNS settings, {@link resolvConfFile}.
 */
export function resolvConfWithDns(hostResolvConf: string | undefined, dns: DnsSettings = {}): string {
  const servers = dns.servers ?? [];
  const search = dns.search ?? [];
  if (servers.length === 0 && search.length === 0) return resolvConfFile(hostResolvConf);
  for (const s of servers) if (isIP(s) === 0) throw invalidParameter(`${s} is not an ip address`);
  for (const d of search) if (!/^[^\s]+$/.test(d)) throw invalidParameter(`${d} is not a valid domain`);
  const hostLines = resolvConfFile(hostResolvConf).split('\n');
  const hostServers = hostLines.filter((l) => /^\s*nameserver\s/.test(l));
  const hostSearch = hostLines.filter((l) => /^\s*(search|domain)\s/.test(l));
  const options = hostLines.filter((l) => /^\s*options\s/.test(l));
  const lines = [
    ...(search.length > 0 ? [`search ${search.join(' ')}`] : hostSearch),
    ...(servers.length > 0 ? servers.map((s) => `nameserver ${s}`) : hostServers),
    ...options,
  ];
  return `${lines.join('\n')}\n`;
}
