import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../../lib/errors.js';
import type { ContainerRuntime, ContainerSpec } from './runtime.js';

/** Programs the suite runs; each implementation makes a spec (or a script) that behaves so. */
export type SuiteProgram =
  /** Exits at once with `code`. */
  | { kind: 'exit'; code: number }
  /** Runs until SIGKILL; what other signals do is unspecified (a shell as PID 1 ignores SIGTERM). */
  | { kind: 'sleep' }
  /** Exits with `code` on SIGTERM. */
  | { kind: 'trap-term'; code: number }
  /** Ignores SIGTERM; dies by SIGKILL only. */
  | { kind: 'ignore-term' };

/** What an implementation gives the suite for one test. */
export interface RuntimeSuiteContext {
  runtime: ContainerRuntime;
  /** A spec with this id that runs `program`; `extra` fields are merged in. */
  spec(id: string, program: SuiteProgram, extra?: Partial<ContainerSpec>): ContainerSpec;
  /** A new runtime over the same state, as after a restart of the agent. */
  reopen(): ContainerRuntime;
  /** A task cgroup path of this test's own. */
  cgroupParent: string;
  /** Removes what the test left (called after each test, also on failure). */
  cleanup(): Promise<void>;
}

/** Milliseconds a program takes at most to react to a signal in the slowest implementation. */
const REACT_MS = 10_000;

async function expectKind(p: Promise<unknown>, kind: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isDomainError(err) ? err.kind : err).toBe(kind);
}

/**
 * The behaviour every ContainerRuntime must have. Run it against each implementation
 * (`describeRuntimeSuite('runc', () => ...)`); ids are unique per test.
 */
export function describeRuntimeSuite(name: string, open: () => Promise<RuntimeSuiteContext>): void {
  describe(`ContainerRuntime suite: ${name}`, () => {
    let ctx: RuntimeSuiteContext;
    let rt: ContainerRuntime;
    const id = (label: string) => `suite-${label}-${randomBytes(4).toString('hex')}`;

    beforeEach(async () => {
      ctx = await open();
      rt = ctx.runtime;
    });
    afterEach(async () => {
      await ctx.cleanup();
    });

    it('starts a container, reports it running, and gives its exit code', async () => {
      const c = id('exit');
      const started = await rt.start(ctx.spec(c, { kind: 'exit', code: 3 }));
      expect(started.pid).toBeGreaterThan(0);
      expect(started.startedAt).toBeInstanceOf(Date);
      expect(await rt.list()).toContain(c);
      const exit = await rt.wait(c);
      expect(exit).toMatchObject({ exitCode: 3, oomKilled: false });
      expect(exit.exitedAt.getTime()).toBeGreaterThanOrEqual(started.startedAt.getTime() - 1000);
      expect(await rt.status(c)).toEqual({ status: 'stopped', exit });
      // Waiting again answers the same.
      expect(await rt.wait(c)).toEqual(exit);
    });

    it('delivers SIGTERM to a program that traps it', async () => {
      const c = id('trap');
      await rt.start(ctx.spec(c, { kind: 'trap-term', code: 7 }));
      expect(await rt.status(c)).toMatchObject({ status: 'running' });
      await rt.kill(c, 'SIGTERM');
      expect((await rt.wait(c)).exitCode).toBe(7);
    });

    it('kills a program that ignores SIGTERM with SIGKILL', async () => {
      const c = id('ignore');
      await rt.start(ctx.spec(c, { kind: 'ignore-term' }));
      // The program must have set its trap before the signal comes (a loaded machine is slow to run it).
      await new Promise((r) => setTimeout(r, 1000));
      await rt.kill(c, 'TERM');
      await new Promise((r) => setTimeout(r, 300));
      expect((await rt.status(c))?.status).toBe('running');
      await rt.kill(c, '9');
      expect(await rt.wait(c)).toMatchObject({ exitCode: 137, oomKilled: false });
      // Signalling a stopped container is not an error.
      await rt.kill(c, 'SIGTERM');
    }, REACT_MS * 2);

    it('resolves every concurrent wait with the same exit', async () => {
      const c = id('waiters');
      await rt.start(ctx.spec(c, { kind: 'sleep' }));
      const waits = [rt.wait(c), rt.wait(c), rt.wait(c)];
      await rt.kill(c, 'SIGKILL');
      const exits = await Promise.all(waits);
      expect(exits.map((e) => e.exitCode)).toEqual([137, 137, 137]);
    });

    it('refuses a duplicate id, a bad signal, and removing a running container', async () => {
      const c = id('dup');
      await rt.start(ctx.spec(c, { kind: 'sleep' }));
      await expectKind(rt.start(ctx.spec(c, { kind: 'exit', code: 0 })), 'AlreadyExists');
      await expectKind(rt.kill(c, 'SIGNOPE'), 'InvalidArgument');
      await expectKind(rt.remove(c), 'FailedPrecondition');
      expect((await rt.status(c))?.status).toBe('running');
      await rt.kill(c, 'SIGKILL');
      await rt.wait(c);
    });

    it('answers unknown ids: status undefined, wait and kill NotFound, remove a no-op', async () => {
      const c = id('unknown');
      expect(await rt.status(c)).toBeUndefined();
      await expectKind(rt.wait(c), 'NotFound');
      await expectKind(rt.kill(c, 'SIGTERM'), 'NotFound');
      await rt.remove(c);
      expect(await rt.stats(c)).toBeUndefined();
    });

    it('removes a stopped container, idempotently', async () => {
      const c = id('remove');
      await rt.start(ctx.spec(c, { kind: 'exit', code: 0 }));
      await rt.wait(c);
      await rt.remove(c);
      await rt.remove(c);
      expect(await rt.list()).not.toContain(c);
      expect(await rt.status(c)).toBeUndefined();
      await expectKind(rt.wait(c), 'NotFound');
      // The id is free again.
      await rt.start(ctx.spec(c, { kind: 'exit', code: 4 }));
      expect((await rt.wait(c)).exitCode).toBe(4);
    });

    it('adopts running containers after a restart', async () => {
      const c = id('adopt');
      const { pid } = await rt.start(ctx.spec(c, { kind: 'sleep' }));
      const again = ctx.reopen();
      expect(await again.list()).toContain(c);
      expect(await again.status(c)).toEqual({ status: 'running', pid });
      const exit = again.wait(c);
      await again.kill(c, 'SIGKILL');
      expect((await exit).exitCode).toBe(137);
      expect((await rt.status(c))?.status).toBe('stopped');
      await again.remove(c);
      expect(await rt.list()).not.toContain(c);
    });

    it('runs containers in a task cgroup with limits, and removes it', async () => {
      await rt.setTaskLimits(ctx.cgroupParent, { cpuUnits: 512, memoryMiB: 256 });
      await rt.setTaskLimits(ctx.cgroupParent, { cpuUnits: 256 });
      const c = id('task');
      await rt.start(ctx.spec(c, { kind: 'exit', code: 0 }, { cgroupParent: ctx.cgroupParent }));
      expect((await rt.wait(c)).exitCode).toBe(0);
      await rt.remove(c);
      await rt.removeTaskCgroup(ctx.cgroupParent);
      await rt.removeTaskCgroup(ctx.cgroupParent);
      await expectKind(rt.setTaskLimits('../escape', {}), 'InvalidArgument');
    });
  });
}
