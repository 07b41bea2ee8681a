import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkHostname, defaultHostname, hostsFile, resolvConfWithDns } from './etc-files.js';
import { boundingCapabilities } from './capabilities.js';
import type { ContainerPaths } from './handle.js';
import { hostDevices, resolveDevices } from './host-devices.js';
import type { InitProcess } from './init-process.js';
import { DEFAULT_NOFILE, buildOciConfig } from './oci-spec.js';
import { mountOverlay, readFileInRoot } from './rootfs.js';
import type { ContainerSpec } from './runtime.js';
import { resolveUser } from './user.js';

/** What preparing a bundle needs besides the spec. */
export interface BundleOptions {
  cgroupsPath: string;
  /** The host's resolver configuration, copied (minus loopback nameservers) into the container. */
  resolvConfPath: string;
  init?: InitProcess;
}

/**
 * Lays out an OCI bundle for the container: the overlay rootfs (layers + its own upper and work
 * dirs), the user resolved against the image's passwd and group files (read through the mounted
 * rootfs, never following a link out of it), the /etc files it gets bind-mounted, and config.json.
 * The caller cleans up (unmount, remove the directory) when this fails half-way.
 */
export async function prepareBundle(paths: ContainerPaths, spec: ContainerSpec, options: BundleOptions): Promise<void> {
  // upper keeps the default 0755: the root of the container's file system takes its mode.
  for (const d of ['upper', 'work']) await mkdir(join(paths.dir, d), { recursive: true });
  await mkdir(paths.bundle, { recursive: true, mode: 0o700 });
  await mkdir(paths.rootfs, { recursive: true });
  await mkdir(paths.persist, { recursive: true });
  await mkdir(paths.etc, { recursive: true });
  await mkdir(dirname(spec.logPath), { recursive: true });

  await mountOverlay({ base: paths.dir, upper: 'upper', work: 'work', target: 'bundle/rootfs' }, spec.layerDirs);

  const user = resolveUser(spec.user, await readFileInRoot(paths.rootfs, '/etc/passwd'), await readFileInRoot(paths.rootfs, '/etc/group'));
  const hostname = spec.hostname !== undefined ? checkHostname(spec.hostname) : defaultHostname(spec.id);
  const etcFiles = {
    hosts: join(paths.etc, 'hosts'),
    hostname: join(paths.etc, 'hostname'),
    resolvConf: join(paths.etc, 'resolv.conf'),
  };
  await writeFile(etcFiles.hosts, hostsFile(spec.extraHosts));
  await writeFile(etcFiles.hostname, `${hostname}\n`);
  const hostResolv = await readFile(options.resolvConfPath, 'utf8').catch(() => undefined);
  const linux = spec.linux ?? {};
  await writeFile(etcFiles.resolvConf, resolvConfWithDns(hostResolv, { servers: linux.dnsServers, search: linux.dnsSearchDomains }));
  const devices = await resolveDevices(linux.devices);
  const allHostDevices = linux.privileged ? await hostDevices() : undefined;
  const hostCapabilities = await boundingCapabilities();

  const defaultNofile = Math.min(DEFAULT_NOFILE, (await ownNofileHardLimit()) ?? DEFAULT_NOFILE);
  const config = buildOciConfig({
    spec,
    user,
    hostname,
    cgroupsPath: options.cgroupsPath,
    etcFiles,
    init: options.init,
    defaultNofile,
    devices,
    ...(allHostDevices && { hostDevices: allHostDevices }),
    ...(hostCapabilities && { hostCapabilities }),
  });
  // runc reads the environment (secrets included) from here: owner-only, in a private bundle dir.
  await writeFile(join(paths.bundle, 'config.json'), JSON.stringify(config, null, 1), { mode: 0o600 });
}

/** This process's hard open-files limit (from /proc/self/limits); runc cannot give a container more. */
async function ownNofileHardLimit(): Promise<number | undefined> {
  const text = await readFile('/proc/self/limits', 'utf8').catch(() => '');
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (!m || m[2] === 'unlimited') return undefined;
  const n = Number(m[2]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
