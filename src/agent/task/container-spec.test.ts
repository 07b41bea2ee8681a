import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { containerSpec, linuxOptionsOf, volumesFromMounts } from './container-spec.js';

const process = { args: ['sh'], env: [], cwd: '/', stopSignal: 'SIGTERM' };

describe('linuxOptionsOf', () => {
  it('maps every Linux member of a container definition', () => {
    const def: ContainerDefinition = {
      name: 'app',
      privileged: true,
      linuxParameters: {
        capabilities: { add: ['SYS_PTRACE'], drop: ['NET_RAW'] },
        tmpfs: [{ containerPath: '/cache', size: 64, mountOptions: ['exec'] }],
        sharedMemorySize: 256,
        devices: [{ hostPath: '/dev/fuse', permissions: ['read', 'write'] }],
      },
      systemControls: [{ namespace: 'net.core.somaxconn', value: '1024' }],
      dnsServers: ['10.0.0.2'],
      dnsSearchDomains: ['svc.local'],
      dockerSecurityOptions: ['no-new-privileges'],
    };
    expect(linuxOptionsOf(def)).toEqual({
      capAdd: ['SYS_PTRACE'],
      capDrop: ['NET_RAW'],
      privileged: true,
      tmpfs: [{ containerPath: '/cache', sizeMiB: 64, mountOptions: ['exec'] }],
      sharedMemorySizeMiB: 256,
      devices: [{ hostPath: '/dev/fuse', permissions: ['read', 'write'] }],
      sysctls: { 'net.core.somaxconn': '1024' },
      dnsServers: ['10.0.0.2'],
      dnsSearchDomains: ['svc.local'],
      securityOptions: ['no-new-privileges'],
    });
  });

  it('leaves out what the definition does not set (empty lists included)', () => {
    expect(linuxOptionsOf({ name: 'app', dnsServers: [], systemControls: [], linuxParameters: { initProcessEnabled: true } })).toEqual({});
  });
});

describe('volumesFrom', () => {
  const volumes = [{ name: 'data' }, { name: 'logs', host: { sourcePath: '/var/log/app' } }];
  const source: ContainerDefinition = {
    name: 'source',
    mountPoints: [
      { sourceVolume: 'data', containerPath: '/data' },
      { sourceVolume: 'logs', containerPath: '/logs', readOnly: true },
    ],
  };

  it('mounts every volume of the source container, read-only when asked, else as the source has it', () => {
    const rw: ContainerDefinition = { name: 'rw', volumesFrom: [{ sourceContainer: 'source' }] };
    expect(volumesFromMounts(rw, [source, rw], volumes, '/tasks/t1')).toEqual([
      { source: '/tasks/t1/volumes/data', destination: '/data', readOnly: false },
      { source: '/var/log/app', destination: '/logs', readOnly: true },
    ]);
    const ro: ContainerDefinition = { name: 'ro', volumesFrom: [{ sourceContainer: 'source', readOnly: true }] };
    expect(volumesFromMounts(ro, [source, ro], volumes, '/tasks/t1').map((m) => m.readOnly)).toEqual([true, true]);
  });

  it('follows the source’s own volumesFrom, stops at cycles, and lets own mount points win', () => {
    const middle: ContainerDefinition = { name: 'middle', volumesFrom: [{ sourceContainer: 'source' }, { sourceContainer: 'last' }] };
    const last: ContainerDefinition = {
      name: 'last',
      volumesFrom: [{ sourceContainer: 'middle' }],
      mountPoints: [{ sourceVolume: 'data', containerPath: '/logs' }],
    };
    const all = [source, middle, last];
    const spec = containerSpec({ taskId: 't1', def: last, process, layerDirs: [], volumes, dir: '/tasks/t1', cgroupParent: 'minato/t1', containers: all });
    expect(spec.mounts).toEqual([
      { source: '/tasks/t1/volumes/data', destination: '/logs', readOnly: false },
      { source: '/tasks/t1/volumes/data', destination: '/data', readOnly: false },
    ]);
    // Without the task's containers, only own mount points.
    const alone = containerSpec({ taskId: 't1', def: middle, process, layerDirs: [], volumes, dir: '/tasks/t1', cgroupParent: 'minato/t1' });
    expect(alone.mounts).toEqual([]);
  });
});

describe('containerSpec nameservers', () => {
  const base = { taskId: 't1', process, layerDirs: [], volumes: [], dir: '/tasks/t1', cgroupParent: 'minato/t1' };
  it("uses the task network's nameserver unless the definition sets dnsServers", () => {
    expect(containerSpec({ ...base, def: { name: 'app' }, networkNameservers: ['10.213.0.1'] }).linux?.dnsServers).toEqual(['10.213.0.1']);
    expect(containerSpec({ ...base, def: { name: 'app', dnsServers: ['1.1.1.1'] }, networkNameservers: ['10.213.0.1'] }).linux?.dnsServers).toEqual(['1.1.1.1']);
    expect(containerSpec({ ...base, def: { name: 'app' } }).linux?.dnsServers).toBeUndefined();
  });
});
