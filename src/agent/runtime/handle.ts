import { randomBytes } from 'node:crypto';
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import type { ContainerExit } from './runtime.js';

/** The version of the handle format; a handle of another version is refused, not guessed at. */
export const HANDLE_VERSION = 1;

/**
 * What is persisted per container so that another RuncRuntime over the same state root (after a
 * restart of the agent) can find, watch, signal and remove it. Not the ContainerSpec: its `env`
 * holds the container's secrets, and nothing after the start needs the spec (runc reads the
 * bundle's config.json).
 */
export interface ContainerHandle {
  version: typeof HANDLE_VERSION;
  id: string;
  /** The absolute cgroup path given to runc. */
  cgroupsPath: string;
  createdAt: string;
  /** Set once running: the init process and its start time (which tells a recycled pid apart). */
  pid?: number;
  pidStartTime?: number;
  conmonPid?: number;
  conmonStartTime?: number;
  startedAt?: string;
  /** Set by whoever first observes the exit, so it outlives the cgroup (read for oomKilled). */
  exit?: { exitCode: number; oomKilled: boolean; exitedAt: string };
}

/** The files of one container under the state root. */
export class ContainerPaths {
  constructor(
    readonly root: string,
    readonly id: string,
  ) {}
  get dir(): string {
    return join(this.root, 'containers', this.id);
  }
  get handle(): string {
    return join(this.dir, 'handle.json');
  }
  get bundle(): string {
    return join(this.dir, 'bundle');
  }
  get rootfs(): string {
    return join(this.bundle, 'rootfs');
  }
  /** conmon's --container-pidfile (written by runc create). */
  get pidFile(): string {
    return join(this.bundle, 'pidfile');
  }
  get conmonPidFile(): string {
    return join(this.dir, 'conmon.pid');
  }
  /** conmon's --persist-dir: `exit` and, after an OOM event, `oom`. */
  get persist(): string {
    return join(this.dir, 'persist');
  }
  get etc(): string {
    return join(this.dir, 'etc');
  }
  /** conmon's --exit-dir entry: written last, when the container's status is final. */
  get exitFile(): string {
    return join(this.root, 'exits', this.id);
  }
}

/** Reads a container's handle, or undefined when it has none. */
export async function readHandle(paths: ContainerPaths): Promise<ContainerHandle | undefined> {
  const text = await readFile(paths.handle, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
    throw e;
  });
  if (text === undefined) return undefined;
  const h = JSON.parse(text) as Partial<ContainerHandle>;
  if (h.version !== HANDLE_VERSION || h.id !== paths.id) {
    throw new DomainError(ErrorKind.Internal, `container ${paths.id}: handle version ${String(h.version)} is not ${HANDLE_VERSION}`, 'container-runtime');
  }
  return h as ContainerHandle;
}

/**
 * Writes a handle atomically (a crash leaves the old or the new one, never half of one), readable
 * by its owner only. Only the handle's own fields are written: one read back from an older
 * version that kept the spec (and with it the environment) loses it when it is next written.
 */
export async function writeHandle(paths: ContainerPaths, handle: ContainerHandle): Promise<void> {
  const { version, id, cgroupsPath, createdAt, pid, pidStartTime, conmonPid, conmonStartTime, startedAt, exit } = handle;
  const own: ContainerHandle = { version, id, cgroupsPath, createdAt, pid, pidStartTime, conmonPid, conmonStartTime, startedAt, exit };
  // A unique temporary name: two observers of the same exit may write at once.
  const tmp = `${paths.handle}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(own, null, 1), { mode: 0o600 });
  await rename(tmp, paths.handle);
}

/** The ids of every container directory with a handle. */
export async function listHandles(root: string): Promise<string[]> {
  const names = await readdir(join(root, 'containers')).catch(() => [] as string[]);
  const ids: string[] = [];
  for (const id of names.sort()) {
    if ((await readFile(join(root, 'containers', id, 'handle.json')).catch(() => undefined)) !== undefined) ids.push(id);
  }
  return ids;
}

/** A persisted exit as the API type. */
export function exitOf(handle: ContainerHandle): ContainerExit | undefined {
  const e = handle.exit;
  return e && { exitCode: e.exitCode, oomKilled: e.oomKilled, exitedAt: new Date(e.exitedAt) };
}
