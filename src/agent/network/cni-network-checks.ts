import { DomainError, ErrorKind, invalidParameter, isDomainError } from '../../lib/errors.js';
import { CNI_NAME } from './cni-config.js';
import { CniError } from './cni-exec.js';
import type { TaskPortMapping } from './network-manager.js';

const TASK_ID_MAX = 64;

/** Both results once both have settled; the first failure (in argument order) otherwise. */
export async function bothSettled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

export function checkHostPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalidParameter(`Invalid host port ${port}: must be from 1 to 65535.`);
}

export function checkTaskId(taskId: string): void {
  if (typeof taskId !== 'string' || taskId.length > TASK_ID_MAX || !CNI_NAME.test(taskId)) {
    throw invalidParameter(`Invalid task id "${taskId}": 1 to ${TASK_ID_MAX} letters, digits, '_', '.' or '-', starting with a letter or digit.`);
  }
}

const portsKey = (ms: readonly TaskPortMapping[]): string =>
  ms.map((m) => `${m.protocol}/${m.containerPort}/${m.hostPort ?? ''}`).sort().join(',');

export function samePorts(a: readonly TaskPortMapping[], b: readonly TaskPortMapping[]): boolean {
  return portsKey(a) === portsKey(b);
}

export function asDomainError(e: unknown, taskId: string): DomainError {
  if (isDomainError(e)) return e;
  if (e instanceof CniError) {
    // Code 11 is the spec's "try again later".
    const kind = e.code === 11 ? ErrorKind.Unavailable : ErrorKind.Internal;
    return new DomainError(kind, `Task ${taskId} network: ${e.message}`, 'task-network', { plugin: e.plugin, command: e.command, code: e.code });
  }
  return new DomainError(ErrorKind.Internal, `Task ${taskId} network: ${e instanceof Error ? e.message : String(e)}`, 'task-network');
}
