import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RuncRuntime } from '../../src/agent/runtime/runc-runtime.js';
import type { ContainerSpec } from '../../src/agent/runtime/runtime.js';
import { logText, readK8sLog } from './k8s-log.js';
import { RuntimeFixture, canRunContainers } from './runtime-fixture.js';

// The container's process: identity, environment, logs, signals, limits, exec and stats.
describe.skipIf(!canRunContainers)('RuncRuntime process', () => {
  let fx: RuntimeFixture;
  let rt: RuncRuntime;
  let n = 0;
  const id = (label: string) => `proc-${label}-${n++}`;

  beforeAll(() => {
    fx = new RuntimeFixture();
    rt = fx.runtime();
  });
  afterEach(async () => {
    await fx.clean();
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

  it('applies env, cwd, user and hostname, with Docker defaults for HOME and PATH', async () => {
    const script = 'echo "$FOO|$(id -u)|$(id -g)|$(id -G)|$(pwd)|$HOME|$PATH|$(hostname)|$(cat /etc/hostname)"';
    const app = await run(fx.spec(id('env'), ['sh', '-c', script], { env: ['FOO=bar baz'], user: 'app', cwd: '/srv', hostname: 'web-1' }));
    expect(app.exit.exitCode).toBe(0);
    expect(app.lines).toEqual(['bar baz|1000|1000|1000 2000|/srv|/home/app|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin|web-1|web-1']);
    const numeric = await run(fx.spec(id('uid'), ['sh', '-c', 'echo "$(id -u):$(id -g) $HOME"'], { user: '4242:77' }));
    expect(numeric.lines).toEqual(['4242:77 /']);
    const root = await run(fx.spec(id('root'), ['sh', '-c', 'id -u; echo $HOME']));
    expect(root.lines).toEqual(['0', '/root']);
  });

  it('refuses an unknown user and leaves nothing behind', async () => {
    const spec = fx.spec(id('nouser'), ['true'], { user: 'ghost' });
    await expect(rt.start(spec)).rejects.toThrow('unable to find user ghost');
    expect(await rt.list()).toEqual([]);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(fx.root);
    expect(existsSync(join(fx.root, 'containers', spec.id))).toBe(false);
  });

  it('fails the start of a missing executable with runc\'s reason, leaving nothing', async () => {
    const spec = fx.spec(id('noexec'), ['/no/such/binary']);
    await expect(rt.start(spec)).rejects.toThrow(/cannot create container .*no such file or directory/);
    expect(await rt.list()).toEqual([]);
    expect(existsSync(join(fx.root, 'runc', spec.id))).toBe(false);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(fx.root);
  });

  it('logs stdout and stderr in order with timestamps', async () => {
    // stdout and stderr are two pipes that conmon reads as data comes: order across them holds
    // only for writes apart in time, as with Docker.
    const spec = fx.spec(id('logs'), ['sh', '-c', 'echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; printf "no newline"']);
    await rt.start(spec);
    await rt.wait(spec.id);
    const lines = readK8sLog(spec.logPath);
    expect(lines.map((l) => [l.stream, l.text])).toEqual([
      ['stdout', 'one'],
      ['stderr', 'two'],
      ['stdout', 'three'],
      ['stdout', 'no newline'],
    ]);
    const times = lines.map((l) => Date.parse(l.time));
    expect(times.every((t) => Math.abs(t - Date.now()) < 60_000)).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // A last line without newline is a partial line in the k8s format.
    expect(lines.at(-1)?.tag).toBe('P');
  });

  it('OOM-kills a container over its memory limit', async () => {
    // Doubling a shell variable grows anonymous memory past 16 MiB within ~25 rounds.
    const spec = fx.spec(id('oom'), ['sh', '-c', 'x=0123456789abcdef; while :; do x="$x$x"; done'], { memoryLimitMiB: 16 });
    await rt.start(spec);
    expect(await rt.wait(spec.id)).toMatchObject({ exitCode: 137, oomKilled: true });
  });

  it('does not call a plain SIGKILL an OOM kill', async () => {
    const spec = fx.spec(id('kill'), ['sleep', '1000'], { memoryLimitMiB: 64 });
    await rt.start(spec);
    await rt.kill(spec.id, 'KILL');
    expect(await rt.wait(spec.id)).toMatchObject({ exitCode: 137, oomKilled: false });
  });

  it('applies ulimits and cpu shares', async () => {
    const spec = fx.spec(id('limits'), ['sh', '-c', 'ulimit -n; ulimit -Hn; sleep 1000'], {
      ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }],
      cpuShares: 256,
      memoryLimitMiB: 48,
    });
    await rt.start(spec);
    await expect.poll(() => existsSync(spec.logPath) && logText(spec.logPath).length).toBe(2);
    expect(logText(spec.logPath)).toEqual(['1024', '2048']);
    const cg = `${spec.cgroupParent}/${spec.id}`;
    expect(readFileSync(`/sys/fs/cgroup/cpu/${cg}/cpu.shares`, 'utf8').trim()).toBe('256');
    expect(readFileSync(`/sys/fs/cgroup/memory/${cg}/memory.limit_in_bytes`, 'utf8').trim()).toBe(String(48 * 1024 * 1024));
  });

  it('sets task-level cgroup limits', async () => {
    const task = `${fx.cgroup}/limits-task`;
    await rt.setTaskLimits(task, { cpuUnits: 512, memoryMiB: 256 });
    expect(readFileSync(`/sys/fs/cgroup/cpu/${task}/cpu.shares`, 'utf8').trim()).toBe('512');
    expect(readFileSync(`/sys/fs/cgroup/cpu/${task}/cpu.cfs_quota_us`, 'utf8').trim()).toBe('50000');
    expect(readFileSync(`/sys/fs/cgroup/memory/${task}/memory.limit_in_bytes`, 'utf8').trim()).toBe(String(256 * 1024 * 1024));
    await rt.setTaskLimits(task, {});
    expect(readFileSync(`/sys/fs/cgroup/cpu/${task}/cpu.cfs_quota_us`, 'utf8').trim()).toBe('-1');
    await rt.removeTaskCgroup(task);
    expect(existsSync(`/sys/fs/cgroup/cpu/${task}`)).toBe(false);
  });

  it('runs exec commands with exit code, output, env and a timeout', async () => {
    const spec = fx.spec(id('exec'), ['sleep', '1000'], { env: ['IN_CONTAINER=yes'] });
    await rt.start(spec);
    const ok = await rt.exec(spec.id, ['sh', '-c', 'echo "out $IN_CONTAINER $EXTRA"; echo err >&2; exit 4'], { timeoutMs: 5_000, env: ['EXTRA=1'] });
    expect(ok.exitCode).toBe(4);
    expect(ok.timedOut).toBe(false);
    expect(ok.output.split('\n').filter(Boolean).sort()).toEqual(['err', 'out yes 1']);
    const t0 = Date.now();
    const slow = await rt.exec(spec.id, ['sleep', '30'], { timeoutMs: 300 });
    expect(slow).toMatchObject({ exitCode: -1, timedOut: true });
    expect(Date.now() - t0).toBeLessThan(5_000);
    // The timed-out process is gone, not orphaned inside the container.
    const ps = await rt.exec(spec.id, ['sh', '-c', 'cat /proc/[0-9]*/cmdline | tr "\\0" " "'], { timeoutMs: 5_000 });
    expect(ps.output).not.toContain('sleep 30');
    const missing = await rt.exec(spec.id, ['no-such-command'], { timeoutMs: 5_000 });
    expect(missing.exitCode).not.toBe(0);
    await rt.kill(spec.id, 'SIGKILL');
    await rt.wait(spec.id);
    await expect(rt.exec(spec.id, ['true'], { timeoutMs: 1_000 })).rejects.toThrow(/not running/);
  });

  it('reports cgroup stats of a running container', async () => {
    const spec = fx.spec(id('stats'), ['sh', '-c', 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 1000'], { memoryLimitMiB: 64 });
    await rt.start(spec);
    await expect.poll(async () => (await rt.stats(spec.id))?.cpuUsageNs ?? 0).toBeGreaterThan(1_000_000);
    const stats = (await rt.stats(spec.id))!;
    expect(stats.memoryUsageBytes).toBeGreaterThan(0);
    expect(stats.memoryMaxUsageBytes).toBeGreaterThanOrEqual(stats.memoryUsageBytes);
    expect(stats.memoryLimitBytes).toBe(64 * 1024 * 1024);
    expect(stats.pids).toBeGreaterThanOrEqual(1);
    expect(stats.systemCpuUsageNs).toBeGreaterThan(stats.cpuUsageNs);
    expect(stats.cpuPerCpuNs.length).toBe(stats.onlineCpus);
  });
});
