import { describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, capabilitiesOfMask, capabilitySet } from './capabilities.js';
import { securitySettings } from './linux-options.js';
import { mergeMountOptions, tmpfsMount } from './linux-mounts.js';
import { buildOciConfig, type BundleInputs } from './oci-spec.js';
import { DEFAULT_CAPABILITIES } from './oci-defaults.js';
import type { ContainerSpec } from './runtime.js';
import { checkSysctls } from './sysctls.js';

const ETC = { hosts: '/b/hosts', hostname: '/b/hostname', resolvConf: '/b/resolv.conf' };

function config(linux: ContainerSpec['linux'], extra: Partial<BundleInputs> = {}) {
  return buildOciConfig({
    spec: { id: 'c1', layerDirs: ['/l/0'], args: ['app'], env: [], logPath: '/logs/c1.log', ...(linux && { linux }) },
    user: { uid: 0, gid: 0, additionalGids: [], home: '/root' },
    hostname: 'c1',
    cgroupsPath: 'minato/t1/c1',
    etcFiles: ETC,
    arch: 'x64',
    ...extra,
  });
}

describe('capabilities', () => {
  it('adds to and drops from Docker defaults, with or without the CAP_ prefix', () => {
    const caps = capabilitySet({ add: ['SYS_PTRACE', 'cap_net_admin'], drop: ['NET_RAW', 'CAP_CHOWN'] });
    expect(caps).toContain('CAP_SYS_PTRACE');
    expect(caps).toContain('CAP_NET_ADMIN');
    expect(caps).not.toContain('CAP_NET_RAW');
    expect(caps).not.toContain('CAP_CHOWN');
    expect(caps).toHaveLength(DEFAULT_CAPABILITIES.length);
  });

  it('treats ALL as Docker does: add ALL minus drops, drop ALL plus adds, privileged gets what the host can grant', () => {
    expect(capabilitySet({ add: ['ALL'], drop: ['SYS_ADMIN'] })).toEqual(ALL_CAPABILITIES.filter((c) => c !== 'CAP_SYS_ADMIN'));
    expect(capabilitySet({ drop: ['ALL'], add: ['KILL'] })).toEqual(['CAP_KILL']);
    expect(capabilitySet({ drop: ['ALL'] })).toEqual([]);
    const available = ['CAP_CHOWN', 'CAP_KILL'];
    expect(capabilitySet({ privileged: true, available })).toEqual(available);
    expect(capabilitySet({ privileged: true, drop: ['ALL'] })).toEqual(ALL_CAPABILITIES);
    expect(() => capabilitySet({ add: ['FLY'] })).toThrow('unknown capability: "FLY"');
  });

  it('reads a CapBnd mask', () => {
    expect(capabilitiesOfMask('1')).toEqual(['CAP_CHOWN']);
    expect(capabilitiesOfMask('000001fffeffffff')).toEqual(ALL_CAPABILITIES.filter((c) => c !== 'CAP_SYS_RESOURCE'));
  });

  it('writes the set to every capability list of the process', () => {
    const c = config({ capAdd: ['SYS_TIME'], capDrop: ['KILL'] });
    expect(c.process.capabilities.bounding).toContain('CAP_SYS_TIME');
    expect(c.process.capabilities.effective).not.toContain('CAP_KILL');
    expect(c.process.capabilities.permitted).toEqual(c.process.capabilities.bounding);
  });
});

describe('mounts from linuxParameters', () => {
  it('mounts tmpfs with Docker defaults that the options can undo, and the size in MiB', () => {
    expect(tmpfsMount({ containerPath: '/run/', sizeMiB: 16 })).toEqual({
      destination: '/run',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['noexec', 'nosuid', 'nodev', 'rprivate', 'size=16m'],
    });
    expect(tmpfsMount({ containerPath: '/x', sizeMiB: 1, mountOptions: ['exec', 'mode=1770', 'ro'] }).options).toEqual([
      'exec', 'nosuid', 'nodev', 'rprivate', 'mode=1770', 'ro', 'size=1m',
    ]);
    expect(() => tmpfsMount({ containerPath: 'rel', sizeMiB: 1 })).toThrow('absolute');
    expect(() => tmpfsMount({ containerPath: '/x', sizeMiB: 0 })).toThrow('positive');
  });

  it('merges options: the later of a pair or a key wins in place', () => {
    expect(mergeMountOptions(['rw', 'noexec', 'size=1k', 'defaults', 'ro', 'size=2k', 'shared'])).toEqual(['ro', 'noexec', 'size=2k', 'shared']);
  });

  it('adds tmpfs mounts after the spec mounts and sizes /dev/shm', () => {
    const c = config({ tmpfs: [{ containerPath: '/cache', sizeMiB: 32 }], sharedMemorySizeMiB: 256 });
    expect(c.mounts.at(-1)?.destination).toBe('/cache');
    const shm = c.mounts.find((m) => m.destination === '/dev/shm');
    expect(shm?.options).toContain(`size=${256 * 1024}k`);
    expect(shm?.options?.filter((o) => o.startsWith('size='))).toHaveLength(1);
    expect(config({}).mounts.find((m) => m.destination === '/dev/shm')?.options).toContain('size=65536k');
  });
});

describe('sysctls, devices and security options', () => {
  it('accepts namespaced sysctls only', () => {
    expect(checkSysctls({ 'net.core.somaxconn': '1024', 'kernel.shmmax': '1', 'fs.mqueue.msg_max': '20' })).toEqual({
      'net.core.somaxconn': '1024',
      'kernel.shmmax': '1',
      'fs.mqueue.msg_max': '20',
    });
    for (const name of ['kernel.panic', 'vm.swappiness', 'fs.file-max', 'net', '../x']) {
      expect(() => checkSysctls({ [name]: '1' })).toThrow(`sysctl '${name}' is not allowed`);
    }
    expect(config({ sysctls: { 'net.ipv4.ip_unprivileged_port_start': '80' } }).linux.sysctl).toEqual({
      'net.ipv4.ip_unprivileged_port_start': '80',
    });
    expect(config({}).linux.sysctl).toBeUndefined();
  });

  it('creates resolved devices and allows them in the device cgroup after denying the rest', () => {
    const device = { path: '/dev/fuse', type: 'c' as const, major: 10, minor: 229, fileMode: 0o666, uid: 0, gid: 0 };
    const c = config({}, { devices: { devices: [device], rules: [{ allow: true, type: 'c', major: 10, minor: 229, access: 'rw' }] } });
    expect(c.linux.devices).toEqual([device]);
    expect(c.linux.resources.devices).toEqual([
      { allow: false, access: 'rwm' },
      { allow: true, type: 'c', major: 10, minor: 229, access: 'rw' },
    ]);
    expect(config({}).linux.devices).toBeUndefined();
  });

  it('reads no-new-privileges and seccomp=unconfined; other options have no effect', () => {
    expect(securitySettings(['no-new-privileges'])).toEqual({ noNewPrivileges: true, seccomp: true });
    expect(securitySettings(['no-new-privileges:false', 'seccomp=unconfined', 'apparmor:x'])).toEqual({ noNewPrivileges: false, seccomp: false });
    expect(config({ securityOptions: ['no-new-privileges:true'] }).process.noNewPrivileges).toBe(true);
    expect(config({ securityOptions: ['seccomp:unconfined'] }).linux.seccomp).toBeUndefined();
    expect(config({}).linux.seccomp?.defaultAction).toBe('SCMP_ACT_ALLOW');
  });
});

describe('privileged', () => {
  it('gets every capability the host grants, every host device, no seccomp, nothing masked and a writable /sys', () => {
    const tty = { path: '/dev/tty0', type: 'c' as const, major: 4, minor: 0, fileMode: 0o620, uid: 0, gid: 5 };
    const c = config({ privileged: true }, { hostCapabilities: ['CAP_SYS_ADMIN', 'CAP_CHOWN'], hostDevices: [tty] });
    expect(c.process.capabilities.bounding).toEqual(['CAP_CHOWN', 'CAP_SYS_ADMIN']);
    expect(c.linux.seccomp).toBeUndefined();
    expect(c.linux.maskedPaths).toEqual([]);
    expect(c.linux.readonlyPaths).toEqual([]);
    expect(c.linux.devices).toEqual([tty]);
    expect(c.linux.resources.devices).toEqual([{ allow: true, access: 'rwm' }]);
    expect(c.mounts.find((m) => m.destination === '/sys')?.options).toContain('rw');
    expect(c.mounts.find((m) => m.destination === '/sys')?.options).not.toContain('ro');
    // Without privileged, host devices are never copied in.
    expect(config({}, { hostDevices: [tty] }).linux.devices).toBeUndefined();
  });
});
