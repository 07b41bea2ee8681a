/**
 * Host device nodes for a container: the ones linuxParameters.devices names (`--device`), or all
 * of them for a privileged container, as Docker does. Reads the host's /dev.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { invalidParameter } from '../../lib/errors.js';
import type { DeviceRequest } from './linux-options.js';

/** One OCI `linux.devices` entry. */
export interface OciDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

/** One OCI device cgroup rule. */
export interface OciDeviceRule {
  allow: boolean;
  type?: 'a' | 'c' | 'b';
  major?: number;
  minor?: number;
  access: string;
}

/** Devices to create in the container and the cgroup rules that let it use them. */
export interface ResolvedDevices {
  devices: OciDevice[];
  rules: OciDeviceRule[];
}

const PERMISSION_LETTERS: Readonly<Record<string, string>> = { read: 'r', write: 'w', mknod: 'm' };

/** ECS permissions → cgroup access letters; none given means all (`rwm`), as the ECS agent passes it. */
export function accessOf(permissions: readonly string[] | undefined): string {
  if (!permissions || permissions.length === 0) return 'rwm';
  const letters = new Set<string>();
  for (const p of permissions) {
    const l = PERMISSION_LETTERS[p];
    if (!l) throw invalidParameter(`Invalid device permission: ${p}`);
    letters.add(l);
  }
  return ['r', 'w', 'm'].filter((l) => letters.has(l)).join('');
}

/** major/minor of a Linux dev_t (glibc's gnu_dev_major/minor). */
const major = (rdev: number) => Number((BigInt(rdev) >> 8n) & 0xfffn) | Number((BigInt(rdev) >> 32n) & ~0xfffn);
const minor = (rdev: number) => Number(BigInt(rdev) & 0xffn) | Number((BigInt(rdev) >> 12n) & ~0xffn);

async function deviceAt(hostPath: string, containerPath: string): Promise<OciDevice | undefined> {
  const s = await stat(hostPath);
  const type = s.isCharacterDevice() ? 'c' : s.isBlockDevice() ? 'b' : undefined;
  if (!type) return undefined;
  return { path: containerPath, type, major: major(s.rdev), minor: minor(s.rdev), fileMode: s.mode & 0o7777, uid: s.uid, gid: s.gid };
}

/** The devices a container definition names; a host path that is not a device node is an error, as in Docker. */
export async function resolveDevices(requests: readonly DeviceRequest[] = []): Promise<ResolvedDevices> {
  const out: ResolvedDevices = { devices: [], rules: [] };
  for (const r of requests) {
    const containerPath = r.containerPath || r.hostPath;
    if (!posix.isAbsolute(r.hostPath) || !posix.isAbsolute(containerPath)) {
      throw invalidParameter(`A device path must be absolute: ${r.hostPath}:${containerPath}`);
    }
    const device = await deviceAt(r.hostPath, posix.normalize(containerPath)).catch((err: NodeJS.ErrnoException) => {
      throw invalidParameter(`error gathering device information while adding custom device "${r.hostPath}": ${err.code ?? err.message}`);
    });
    if (!device) throw invalidParameter(`error gathering device information while adding custom device "${r.hostPath}": not a device node`);
    out.devices.push(device);
    out.rules.push({ allow: true, type: device.type, major: device.major, minor: device.minor, access: accessOf(r.permissions) });
  }
  return out;
}

/** Directories under /dev that are the container's own mounts, never copied from the host. */
const SKIPPED = new Set(['pts', 'shm', 'mqueue', 'fd']);

/** Every device node under the host's /dev (two levels deep), for a privileged container. */
export async function hostDevices(root = '/dev'): Promise<OciDevice[]> {
  const out: OciDevice[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(dir, name);
      const l = await lstat(path).catch(() => undefined);
      if (!l || l.isSymbolicLink()) continue;
      if (l.isDirectory()) {
        if (depth < 1 && !SKIPPED.has(name)) await walk(path, depth + 1);
        continue;
      }
      // /dev/console belongs to the container's terminal handling; runc refuses it as a device.
      if (path === join(root, 'console')) continue;
      const device = await deviceAt(path, posix.join('/dev', posix.relative(root, path))).catch(() => undefined);
      if (device) out.push(device);
    }
  };
  await walk(root, 0);
  return out;
}
