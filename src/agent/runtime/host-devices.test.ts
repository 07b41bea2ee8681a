import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessOf, hostDevices, resolveDevices } from './host-devices.js';

describe('host devices', () => {
  it('maps ECS permissions to cgroup access letters', () => {
    expect(accessOf(undefined)).toBe('rwm');
    expect(accessOf(['write', 'read'])).toBe('rw');
    expect(accessOf(['mknod'])).toBe('m');
    expect(() => accessOf(['exec'])).toThrow('Invalid device permission: exec');
  });

  it('resolves a host device node with its numbers, mode and owner, at the container path asked for', async () => {
    const s = statSync('/dev/null');
    const { devices, rules } = await resolveDevices([{ hostPath: '/dev/null', containerPath: '/dev/nothing', permissions: ['read'] }]);
    expect(devices).toEqual([{ path: '/dev/nothing', type: 'c', major: 1, minor: 3, fileMode: s.mode & 0o7777, uid: s.uid, gid: s.gid }]);
    expect(rules).toEqual([{ allow: true, type: 'c', major: 1, minor: 3, access: 'r' }]);
  });

  it('refuses a path that is no device node, or is missing', async () => {
    await expect(resolveDevices([{ hostPath: '/etc/hostname' }])).rejects.toThrow('not a device node');
    await expect(resolveDevices([{ hostPath: '/dev/no-such-device' }])).rejects.toThrow('ENOENT');
    await expect(resolveDevices([{ hostPath: 'dev/null' }])).rejects.toThrow('absolute');
  });

  it('lists the host devices for a privileged container, without the container’s own pts and console', async () => {
    const all = await hostDevices();
    expect(all.find((d) => d.path === '/dev/null')).toMatchObject({ type: 'c', major: 1, minor: 3 });
    expect(all.some((d) => d.path.startsWith('/dev/pts/') || d.path === '/dev/console')).toBe(false);
  });
});
