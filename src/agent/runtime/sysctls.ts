/**
 * Namespaced kernel parameters (ECS systemControls, Docker --sysctl). Only parameters that live
 * in a namespace the container owns may be set, or a container would change the host: Docker's
 * list is the IPC ones (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*) and the network ones
 * (net.*). runc refuses net.* again when the network namespace is the host's.
 */
import { invalidParameter } from '../../lib/errors.js';

/** IPC-namespace parameters Docker accepts by name. */
const IPC_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.msgmax',
  'kernel.msgmnb',
  'kernel.msgmni',
  'kernel.sem',
  'kernel.shmall',
  'kernel.shmmax',
  'kernel.shmmni',
  'kernel.shm_rmid_forced',
]);

/** The namespace a parameter belongs to, or undefined for one that is not namespaced. */
export function sysctlNamespace(name: string): 'ipc' | 'net' | undefined {
  if (IPC_SYSCTLS.has(name) || name.startsWith('fs.mqueue.')) return 'ipc';
  if (name.startsWith('net.')) return 'net';
  return undefined;
}

/** The sysctls of a container, checked: namespaced names, single-line values. */
export function checkSysctls(sysctls: Readonly<Record<string, string>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(sysctls)) {
    if (!/^[a-z0-9_]+(\.[a-zA-Z0-9_-]+)+$/.test(name) || sysctlNamespace(name) === undefined) {
      throw invalidParameter(`sysctl '${name}' is not allowed`);
    }
    if (/[\n\0]/.test(value)) throw invalidParameter(`Invalid value for sysctl '${name}'`);
    out[name] = value;
  }
  return out;
}
