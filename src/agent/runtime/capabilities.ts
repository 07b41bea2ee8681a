/**
 * A container's capability set from linuxParameters.capabilities, worked out as Docker does
 * (moby's TweakCapabilities): privileged gets every capability; `ALL` in add means every
 * capability but the dropped ones; `ALL` in drop means only the added ones; otherwise the
 * defaults minus drop, plus add. "Every capability" is every one this process may still grant (its
 * bounding set), as moby limits it to the daemon's.
 */
import { readFile } from 'node:fs/promises';
import { invalidParameter } from '../../lib/errors.js';
import { DEFAULT_CAPABILITIES } from './oci-defaults.js';

/** Every capability of Linux up to CAP_CHECKPOINT_RESTORE (40), in kernel order. */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW',
  'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD',
  'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

const KNOWN: ReadonlySet<string> = new Set(ALL_CAPABILITIES);

/** `sys_ptrace`, `SYS_PTRACE` and `CAP_SYS_PTRACE` all name CAP_SYS_PTRACE; `ALL` stays `ALL`. */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL') return 'ALL';
  const cap = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!KNOWN.has(cap)) throw invalidParameter(`unknown capability: "${name}"`);
  return cap;
}

/** What a container asks for. */
export interface CapabilityRequest {
  add?: readonly string[];
  drop?: readonly string[];
  privileged?: boolean;
  /** The capabilities this host can grant (its bounding set); default all of Linux's. */
  available?: readonly string[];
}

/** The capability set (bounding = effective = permitted) of a container. */
export function capabilitySet(request: CapabilityRequest = {}): string[] {
  const all = request.available ? ALL_CAPABILITIES.filter((c) => request.available!.includes(c)) : [...ALL_CAPABILITIES];
  if (request.privileged) return all;
  const add = (request.add ?? []).map(normalizeCapability);
  const drop = (request.drop ?? []).map(normalizeCapability);
  if (add.length === 0 && drop.length === 0) return [...DEFAULT_CAPABILITIES];
  if (add.includes('ALL')) return all.filter((c) => !drop.includes(c));
  if (drop.includes('ALL')) return unique(add);
  return unique([...DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c)), ...add]);
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/** The capabilities in a CapBnd-style hex mask. */
export function capabilitiesOfMask(hex: string): string[] {
  const mask = BigInt(`0x${hex}`);
  return ALL_CAPABILITIES.filter((_, bit) => ((mask >> BigInt(bit)) & 1n) === 1n);
}

/** This process's bounding set (from /proc/self/status); undefined when it cannot be read. */
export async function boundingCapabilities(): Promise<string[] | undefined> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const m = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status);
  return m ? capabilitiesOfMask(m[1]!) : undefined;
}
