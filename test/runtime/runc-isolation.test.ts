import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cgroupHierarchies } from '../../src/agent/runtime/cgroups.js';
import type { RuncRuntime } from '../../src/agent/runtime/runc-runtime.js';
import type { ContainerSpec } from '../../src/agent/runtime/runtime.js';
import { logText } from './k8s-log.js';
import { RuntimeFixture, canRunContainers } from './runtime-fixture.js';

// What a container sees: its filesystem, mounts, network, /etc files, init; and what remove leaves.
describe.skipIf(!canRunContainers)('RuncRuntime isolation', () => {
  let fx: RuntimeFixture;
  let rt: RuncRuntime;
  let n = 0;
  const id = (label: string) => `iso-${label}-${n++}`;
  const netnsNames: string[] = [];

  beforeAll(() => {
    fx = new RuntimeFixture();
    rt = fx.runtime();
  });
  afterEach(async () => {
    await fx.clean();
    for (const ns of netnsNames.splice(0)) execFileSync('ip', ['netns', 'delete', ns]);
  });
  afterAll(async () => {
    rt?.close();
    await fx?.dispose();
  });

  async function run(spec: ContainerSpec) {
    await rt.start(spec);
    const exit = await rt.wait(spec.id);
    return { exit, lines: logText(spec.logPath) };
  }

  it('refuses writes to a read-only root filesystem but not to /dev/shm', async () => {
    const script = 'touch /newfile 2>&1; echo "root=$?"; echo x > /dev/shm/f && echo shm=ok';
    const ro = await run(fx.spec(id('ro'), ['sh', '-c', script], { readonlyRootFilesystem: true }));
    expect(ro.lines).toContain('root=1');
    expect(ro.lines.join('\n')).toMatch(/Read-only file system/);
    expect(ro.lines).toContain('shm=ok');
    const rw = await run(fx.spec(id('rw'), ['sh', '-c', script]));
    expect(rw.lines).toContain('root=0');
    // The image layer itself is never written: the new file went to the container's upper dir.
    expect(existsSync(join(fx.layer.dir, 'newfile'))).toBe(false);
  });

  it('bind-mounts volumes read-only and read-write', async () => {
    const vol = join(fx.base, `vol-${n}`);
    mkdirSync(vol);
    writeFileSync(join(vol, 'hello.txt'), 'from the host');
    const script = 'cat /data/hello.txt; echo; { echo x > /data/new; } 2>/dev/null || echo ro-refused; echo written > /rw/out.txt';
    const res = await run(
      fx.spec(id('mounts'), ['sh', '-c', script], {
        mounts: [
          { source: vol, destination: '/data', readOnly: true },
          { source: vol, destination: '/rw' },
        ],
      }),
    );
    expect(res.lines).toEqual(['from the host', 'ro-refused']);
    expect(readFileSync(join(vol, 'out.txt'), 'utf8')).toBe('written\n');
  });

  it('writes /etc/hosts, /etc/hostname and /etc/resolv.conf', async () => {
    const res = await run(
      fx.spec(id('etc'), ['sh', '-c', 'cat /etc/hosts; echo ---; cat /etc/hostname; echo ---; grep -c . /etc/resolv.conf'], {
        hostname: 'api',
        extraHosts: [{ hostname: 'db.internal', ipAddress: '10.1.2.3' }],
      }),
    );
    const [hosts, hostname, resolv] = res.lines.join('\n').split('\n---\n');
    expect(hosts).toMatch(/^127\.0\.0\.1\tlocalhost$/m);
    expect(hosts).toMatch(/^10\.1\.2\.3\tdb\.internal$/m);
    expect(hostname).toBe('api');
    expect(Number(resolv)).toBeGreaterThan(0);
  });

  it('gets a new network namespace with loopback up, or joins the given one', async () => {
    const own = await run(fx.spec(id('net'), ['sh', '-c', 'ip -o link; ping -c 1 -W 2 127.0.0.1 >/dev/null && echo ping-ok']));
    expect(own.lines.filter((l) => /^\d+: /.test(l)).map((l) => l.split(': ')[1])).toEqual(['lo']);
    expect(own.lines.join('\n')).toMatch(/lo: <LOOPBACK,UP/);
    expect(own.lines).toContain('ping-ok');

    const ns = `minato-test-${randomBytes(4).toString('hex')}`;
    execFileSync('ip', ['netns', 'add', ns]);
    netnsNames.push(ns);
    // A mark only that namespace has: an extra loopback address.
    execFileSync('ip', ['-n', ns, 'addr', 'add', '10.123.45.67/32', 'dev', 'lo']);
    const joined = await run(fx.spec(id('netns'), ['sh', '-c', 'ip -o addr'], { netnsPath: `/run/netns/${ns}` }));
    expect(joined.lines.join('\n')).toContain('10.123.45.67');
    expect(own.lines.join('\n')).not.toContain('10.123.45.67');
  });

  it('applies Docker default capabilities and masked paths', async () => {
    const res = await run(fx.spec(id('caps'), ['sh', '-c', 'grep CapBnd /proc/self/status; wc -c < /proc/timer_list; mount -o remount,rw /proc/sys 2>&1 || echo remount-refused']));
    // Docker's 14 default capabilities as a mask.
    expect(res.lines[0]).toBe('CapBnd:\t00000000a80425fb');
    // Masked: /dev/null over it (the host's has kilobytes).
    expect(res.lines[1]).toBe('0');
    expect(res.lines).toContain('remount-refused');
  });

  it('runs an init as PID 1 that reaps orphans and forwards SIGTERM', async () => {
    // A subshell leaves an orphan that exits after 0.2 s; the app then becomes a plain `sleep`, which reaps nothing.
    const orphaning = ['sh', '-c', '(sleep 0.2 &); exec sleep 1000'];
    const zombies = async (cid: string) => {
      const r = await rt.exec(cid, ['sh', '-c', 'cat /proc/[0-9]*/stat'], { timeoutMs: 5_000 });
      return r.output.split('\n').filter((l) => / \S+\) Z /.test(l)).length;
    };
    const withInit = fx.spec(id('init'), orphaning, { initProcessEnabled: true });
    const without = fx.spec(id('noinit'), orphaning);
    await rt.start(withInit);
    await rt.start(without);
    await new Promise((r) => setTimeout(r, 700));
    expect(await zombies(without.id)).toBe(1);
    expect(await zombies(withInit.id)).toBe(0);
    const pid1 = await rt.exec(withInit.id, ['cat', '/proc/1/cmdline'], { timeoutMs: 5_000 });
    expect(pid1.output).toMatch(/^\/dev\/(init|busybox-init)\0/);

    const trapping = fx.spec(id('initterm'), ['sh', '-c', "trap 'exit 9' TERM; sleep 1000 & wait"], { initProcessEnabled: true });
    await rt.start(trapping);
    await new Promise((r) => setTimeout(r, 200));
    await rt.kill(trapping.id, 'SIGTERM');
    expect((await rt.wait(trapping.id)).exitCode).toBe(9);
  });

  it('remove leaves no mount, runc state, cgroup or directory, and keeps the log', async () => {
    const spec = fx.spec(id('gone'), ['sh', '-c', 'echo bye'], { memoryLimitMiB: 32 });
    await rt.start(spec);
    await rt.wait(spec.id);
    const dir = join(fx.root, 'containers', spec.id);
    const rootfs = join(dir, 'bundle', 'rootfs');
    expect(readFileSync('/proc/mounts', 'utf8')).toContain(rootfs);
    expect(existsSync(join(fx.root, 'runc', spec.id))).toBe(true);
    const cgroupDirs = (await cgroupHierarchies()).map((h) => join(h.mountPoint, spec.cgroupParent!, spec.id));
    expect(cgroupDirs.some((d) => existsSync(d))).toBe(true);

    await rt.remove(spec.id);
    expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(rootfs);
    expect(existsSync(join(fx.root, 'runc', spec.id))).toBe(false);
    expect(cgroupDirs.filter((d) => existsSync(d))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(fx.root, 'exits', spec.id))).toBe(false);
    expect(logText(spec.logPath)).toEqual(['bye']);
  });
});
