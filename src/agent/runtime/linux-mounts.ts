/**
 * Mounts that come from linuxParameters: tmpfs mounts with Docker's option merging, and the
 * /dev/shm size.
 */
import { posix } from 'node:path';
import { invalidParameter } from '../../lib/errors.js';
import type { TmpfsMount } from './linux-options.js';
import type { OciMount } from './oci-defaults.js';

/** Options that switch one flag; the later of a pair wins (moby's MergeTmpfsOptions). */
const FLAG_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['rw', 'ro'],
  ['exec', 'noexec'],
  ['suid', 'nosuid'],
  ['dev', 'nodev'],
  ['sync', 'async'],
  ['atime', 'noatime'],
  ['diratime', 'nodiratime'],
  ['relatime', 'norelatime'],
  ['strictatime', 'nostrictatime'],
  ['mand', 'nomand'],
];

const PROPAGATION = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'unbindable', 'runbindable']);

/** Merges mount options left to right: for a flag pair or a `key=value` the last one stays, in its place. */
export function mergeMountOptions(options: readonly string[]): string[] {
  const out: string[] = [];
  const slotOf = (o: string): string => {
    const eq = o.indexOf('=');
    if (eq > 0) return `${o.slice(0, eq)}=`;
    const pair = FLAG_PAIRS.find(([a, b]) => o === a || o === b);
    if (pair) return pair[0];
    if (PROPAGATION.has(o)) return 'propagation';
    return o;
  };
  const slots = new Map<string, number>();
  for (const o of options) {
    if (o === '' || o === 'defaults') continue;
    const slot = slotOf(o);
    const at = slots.get(slot);
    if (at === undefined) {
      slots.set(slot, out.length);
      out.push(o);
    } else {
      out[at] = o;
    }
  }
  return out;
}

/** A tmpfs mount as Docker makes it: noexec, nosuid, nodev and rprivate unless the options say otherwise. */
export function tmpfsMount(t: TmpfsMount): OciMount {
  if (!posix.isAbsolute(t.containerPath)) throw invalidParameter(`A tmpfs containerPath must be an absolute path: ${t.containerPath}`);
  if (!Number.isInteger(t.sizeMiB) || t.sizeMiB <= 0) throw invalidParameter(`A tmpfs size must be a positive number of MiB: ${t.sizeMiB}`);
  for (const o of t.mountOptions ?? []) {
    if (/^(bind|rbind|remount)$/.test(o)) throw invalidParameter(`Invalid tmpfs mount option: ${o}`);
  }
  return {
    destination: posix.normalize(t.containerPath).replace(/(.)\/+$/, '$1'),
    type: 'tmpfs',
    source: 'tmpfs',
    options: mergeMountOptions(['noexec', 'nosuid', 'nodev', 'rprivate', ...(t.mountOptions ?? []), `size=${t.sizeMiB}m`]),
  };
}

/** Sets the size of the /dev/shm mount among `mounts` (ECS gives MiB; Docker's ShmSize is bytes). */
export function withShmSize(mounts: OciMount[], sizeMiB: number | undefined): void {
  if (sizeMiB === undefined) return;
  if (!Number.isInteger(sizeMiB) || sizeMiB <= 0) throw invalidParameter(`sharedMemorySize must be a positive number of MiB: ${sizeMiB}`);
  const shm = mounts.find((m) => m.destination === '/dev/shm');
  if (!shm) return;
  shm.options = mergeMountOptions([...(shm.options ?? []), `size=${sizeMiB * 1024}k`]);
}
