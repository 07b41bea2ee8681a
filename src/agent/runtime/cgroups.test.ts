import { describe, expect, it } from 'vitest';
import { cgroupHierarchies, checkCgroupParent } from './cgroups.js';

describe('cgroups', () => {
  it('accepts relative task cgroup paths only', () => {
    expect(checkCgroupParent('minato/task-1')).toBe('minato/task-1');
    for (const bad of ['/minato', 'minato/../x', '..', 'a//b', 'a/', 'a b', '', '.hidden']) {
      expect(() => checkCgroupParent(bad), bad).toThrow(/Invalid cgroup parent/);
    }
  });

  it('finds the mounted hierarchies with their controllers', async () => {
    const hs = await cgroupHierarchies();
    // Every Linux host mounts at least one hierarchy; where v1 memory is mounted it is named.
    expect(hs.length).toBeGreaterThan(0);
    for (const h of hs) expect(h.mountPoint.startsWith('/')).toBe(true);
    const v1 = hs.filter((h) => h.version === 1);
    if (v1.length > 0) expect(v1.some((h) => h.controllers.includes('memory'))).toBe(true);
  });
});
