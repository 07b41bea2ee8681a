import { describe, expect, it } from 'vitest';
import { tiniInit } from './init-process.js';
import { buildOciConfig, type BundleInputs } from './oci-spec.js';
import type { ContainerSpec } from './runtime.js';

const ETC = { hosts: '/b/hosts', hostname: '/b/hostname', resolvConf: '/b/resolv.conf' };
const ROOT = { uid: 0, gid: 0, additionalGids: [], home: '/root' };

function inputs(spec: Partial<ContainerSpec>, extra: Partial<BundleInputs> = {}): BundleInputs {
  return {
    spec: { id: 'c1', layerDirs: ['/l/0'], args: ['app', '--flag'], env: ['A=1'], logPath: '/logs/c1.log', ...spec },
    user: ROOT,
    hostname: 'c1',
    cgroupsPath: '/minato/t1/c1',
    etcFiles: ETC,
    ...extra,
  };
}

describe('buildOciConfig', () => {
  it('writes the process with Docker environment defaults', () => {
    const c = buildOciConfig(inputs({ cwd: '/srv/' }));
    expect(c.process.args).toEqual(['app', '--flag']);
    expect(c.process.cwd).toBe('/srv/');
    expect(c.process.terminal).toBe(false);
    expect(c.process.env).toEqual(['A=1', `PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, 'HOSTNAME=c1', 'HOME=/root']);
    // The image's own PATH and HOME win.
    const own = buildOciConfig(inputs({ env: ['PATH=/opt/bin', 'HOME=/h'] }));
    expect(own.process.env).toEqual(['PATH=/opt/bin', 'HOME=/h', 'HOSTNAME=c1']);
  });

  it('uses the resolved user, Docker capabilities, masked paths and namespaces', () => {
    const c = buildOciConfig(inputs({}, { user: { uid: 1000, gid: 1000, additionalGids: [29], home: '/home/app' } }));
    expect(c.process.user).toEqual({ uid: 1000, gid: 1000, additionalGids: [29] });
    expect(c.process.capabilities.bounding).toHaveLength(14);
    expect(c.process.capabilities.bounding).toContain('CAP_NET_BIND_SERVICE');
    expect(c.process.capabilities.bounding).not.toContain('CAP_SYS_ADMIN');
    expect(c.linux.maskedPaths).toContain('/proc/kcore');
    expect(c.linux.readonlyPaths).toContain('/proc/sys');
    expect(c.linux.namespaces.map((n) => n.type).sort()).toEqual(['ipc', 'mount', 'network', 'pid', 'uts']);
    expect(c.linux.namespaces.find((n) => n.type === 'network')).toEqual({ type: 'network' });
    expect(c.linux.cgroupsPath).toBe('/minato/t1/c1');
  });

  it('joins a given network namespace', () => {
    const c = buildOciConfig(inputs({ netnsPath: '/run/netns/task-1' }));
    expect(c.linux.namespaces.find((n) => n.type === 'network')).toEqual({ type: 'network', path: '/run/netns/task-1' });
  });

  it('maps cpu, memory and ulimits', () => {
    const c = buildOciConfig(
      inputs({ cpuShares: 256, memoryLimitMiB: 64, memoryReservationMiB: 32, ulimits: [{ name: 'nproc', softLimit: 10, hardLimit: 20 }] }),
    );
    expect(c.linux.resources.cpu.shares).toBe(256);
    expect(c.linux.resources.memory).toEqual({ limit: 64 * 1024 * 1024, reservation: 32 * 1024 * 1024 });
    expect(c.process.rlimits).toEqual([
      { type: 'RLIMIT_NOFILE', soft: 65535, hard: 65535 },
      { type: 'RLIMIT_NPROC', soft: 10, hard: 20 },
    ]);
    expect(buildOciConfig(inputs({ ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }] })).process.rlimits).toEqual([
      { type: 'RLIMIT_NOFILE', soft: 1024, hard: 4096 },
    ]);
    expect(buildOciConfig(inputs({ cpuShares: 0 })).linux.resources.cpu.shares).toBe(2);
    expect(buildOciConfig(inputs({})).linux.resources.cpu.shares).toBe(2);
    expect(buildOciConfig(inputs({})).linux.resources.memory).toBeUndefined();
  });

  it('refuses bad limits, ulimits and paths', () => {
    expect(() => buildOciConfig(inputs({ ulimits: [{ name: 'files', softLimit: 1, hardLimit: 1 }] }))).toThrow(/Invalid ulimit name/);
    expect(() => buildOciConfig(inputs({ ulimits: [{ name: 'nofile', softLimit: 2, hardLimit: 1 }] }))).toThrow(/soft limit/);
    expect(() => buildOciConfig(inputs({ memoryLimitMiB: 4 }))).toThrow(/at least 6 MiB/);
    expect(() => buildOciConfig(inputs({ memoryLimitMiB: 64, memoryReservationMiB: 128 }))).toThrow(/reservation/);
    expect(() => buildOciConfig(inputs({ cwd: 'relative' }))).toThrow(/absolute/);
    expect(() => buildOciConfig(inputs({ mounts: [{ source: 'rel', destination: '/data' }] }))).toThrow(/absolute/);
    expect(() => buildOciConfig(inputs({ args: [] }))).toThrow(/command/);
  });

  it('mounts /etc files, bind mounts and the init, and sets the root read-only on request', () => {
    const c = buildOciConfig(
      inputs({ readonlyRootFilesystem: true, mounts: [{ source: '/host/data', destination: '/data', readOnly: true }] }, { init: tiniInit('/usr/bin/tini-static') }),
    );
    expect(c.root).toEqual({ path: 'rootfs', readonly: true });
    const byDest = new Map(c.mounts.map((m) => [m.destination, m]));
    expect(byDest.get('/etc/hosts')?.source).toBe('/b/hosts');
    expect(byDest.get('/etc/resolv.conf')?.source).toBe('/b/resolv.conf');
    expect(byDest.get('/data')).toEqual({ destination: '/data', type: 'bind', source: '/host/data', options: ['rbind', 'rprivate', 'ro'] });
    expect(byDest.get('/dev/init')?.source).toBe('/usr/bin/tini-static');
    expect(byDest.get('/dev/shm')?.options).toContain('size=65536k');
    expect(c.process.args).toEqual(['/dev/init', '--', 'app', '--flag']);
    // /dev is mounted before anything is mounted under it.
    const order = c.mounts.map((m) => m.destination);
    expect(order.indexOf('/dev')).toBeLessThan(order.indexOf('/dev/init'));
  });
});
