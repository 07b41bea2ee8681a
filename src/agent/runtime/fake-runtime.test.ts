import { describe, expect, it } from 'vitest';
import { FakeRuntime, type FakeBehaviour } from './fake-runtime.js';
import type { ContainerSpec } from './runtime.js';
import { describeRuntimeSuite, type SuiteProgram } from './runtime-suite.js';

function behaviourOf(program: SuiteProgram): FakeBehaviour {
  switch (program.kind) {
    case 'exit':
      return { exitAfterMs: 0, exitCode: program.code };
    case 'sleep':
      return {};
    case 'trap-term':
      return { onSignal: { SIGTERM: { exitCode: program.code } } };
    case 'ignore-term':
      return { onSignal: { SIGTERM: 'ignore' } };
  }
}

const spec = (id: string, extra: Partial<ContainerSpec> = {}): ContainerSpec => ({
  id,
  layerDirs: ['/layers/0'],
  args: ['app'],
  env: [],
  logPath: `/logs/${id}.log`,
  ...extra,
});

describeRuntimeSuite('fake', async () => {
  const runtime = new FakeRuntime();
  return {
    runtime,
    spec(id, program, extra) {
      runtime.script(id, behaviourOf(program));
      return spec(id, extra);
    },
    reopen: () => runtime.reopen(),
    cgroupParent: 'minato/fake-task',
    async cleanup() {
      for (const id of await runtime.list()) {
        await runtime.kill(id, 'SIGKILL');
        await runtime.remove(id);
      }
    },
  };
});

describe('FakeRuntime', () => {
  it('ends containers on demand and by script, with OOM kills', async () => {
    const rt = new FakeRuntime({ behaviour: (s) => (s.id === 'oom' ? { exitAfterMs: 5, exitCode: 137, oomKilled: true } : {}) });
    await rt.start(spec('oom'));
    expect(await rt.wait('oom')).toMatchObject({ exitCode: 137, oomKilled: true });
    await rt.start(spec('manual'));
    rt.exit('manual', 2);
    expect((await rt.wait('manual')).exitCode).toBe(2);
  });

  it('records signals and specs, and answers exec and stats from the script', async () => {
    const rt = new FakeRuntime();
    rt.script('a', {
      onSignal: { SIGHUP: 'ignore' },
      exec: (args) => ({ exitCode: args[0] === 'ok' ? 0 : 1, output: args.join(' '), timedOut: false }),
      stats: { memoryUsageBytes: 42 },
    });
    await rt.start(spec('a', { memoryLimitMiB: 64 }));
    await rt.kill('a', 'HUP');
    expect(rt.signalsOf('a')).toEqual(['SIGHUP']);
    expect(rt.specOf('a')?.memoryLimitMiB).toBe(64);
    expect(await rt.exec('a', ['ok'], { timeoutMs: 100 })).toEqual({ exitCode: 0, output: 'ok', timedOut: false });
    expect((await rt.exec('a', ['bad'], { timeoutMs: 100 })).exitCode).toBe(1);
    expect(await rt.stats('a')).toMatchObject({ memoryUsageBytes: 42, memoryLimitBytes: 64 * 1024 * 1024 });
    await rt.kill('a', 'SIGTERM');
    expect((await rt.wait('a')).exitCode).toBe(143);
    await expect(rt.exec('a', ['ok'], { timeoutMs: 100 })).rejects.toThrow(/not running/);
  });

  it('fails a start as scripted and keeps task limits', async () => {
    const rt = new FakeRuntime();
    rt.script('x', { startError: new Error('image broken') });
    await expect(rt.start(spec('x'))).rejects.toThrow('image broken');
    expect(await rt.list()).toEqual([]);
    await rt.setTaskLimits('minato/t1', { cpuUnits: 256, memoryMiB: 512 });
    expect(rt.taskLimits.get('minato/t1')).toEqual({ cpuUnits: 256, memoryMiB: 512 });
    await rt.removeTaskCgroup('minato/t1');
    expect(rt.taskLimits.size).toBe(0);
  });
});
