import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeCgroup } from '../../src/agent/runtime/cgroups.js';
import { RuncRuntime, type RuncRuntimeOptions } from '../../src/agent/runtime/runc-runtime.js';
import type { ContainerSpec } from '../../src/agent/runtime/runtime.js';
import type { SuiteProgram } from '../../src/agent/runtime/runtime-suite.js';
import { makeBusyboxLayer, type BusyboxLayer } from './busybox-layer.js';

/** Whether this machine can run real containers: root, runc and conmon. */
export const canRunContainers =
  process.getuid?.() === 0 && existsSync('/usr/sbin/runc') && existsSync('/usr/bin/conmon') && existsSync('/bin/busybox');

/** Shell programs for the shared suite's program kinds, run by the busybox image. */
export function programArgs(program: SuiteProgram): string[] {
  switch (program.kind) {
    case 'exit':
      return ['sh', '-c', `exit ${program.code}`];
    case 'sleep':
      // PID 1 without a handler: only SIGKILL ends it.
      return ['sleep', '1000'];
    case 'trap-term':
      // `wait` is interrupted by the trap at once; a foreground sleep would delay it.
      return ['sh', '-c', `trap 'exit ${program.code}' TERM; sleep 1000 & wait`];
    case 'ignore-term':
      return ['sh', '-c', `trap '' TERM; sleep 1000 & wait`];
  }
}

/**
 * One test file's world: a busybox layer, a state root, and cgroups of its own (the task cgroups
 * and conmon's), all removed by `dispose`.
 */
export class RuntimeFixture {
  readonly layer: BusyboxLayer;
  readonly base: string;
  readonly root: string;
  /** The cgroup everything of this fixture lives under. */
  readonly cgroup = `minato-test-${randomBytes(4).toString('hex')}`;

  constructor() {
    this.layer = makeBusyboxLayer();
    this.base = mkdtempSync(join(tmpdir(), 'minato-runtime-test-'));
    this.root = join(this.base, 'state');
  }

  options(): RuncRuntimeOptions {
    return { conmonCgroup: `${this.cgroup}/conmon`, exitPollMs: 500 };
  }

  runtime(): RuncRuntime {
    return new RuncRuntime(this.root, this.options());
  }

  /** A spec over the busybox layer in this fixture's default cgroup. */
  spec(id: string, args: string[], extra: Partial<ContainerSpec> = {}): ContainerSpec {
    return {
      id,
      layerDirs: [this.layer.dir],
      args,
      env: [],
      logPath: join(this.base, 'logs', `${id}.log`),
      cgroupParent: `${this.cgroup}/default`,
      ...extra,
    };
  }

  /** Kills and removes every container under the state root. */
  async clean(): Promise<void> {
    const rt = this.runtime();
    for (const id of await rt.list()) {
      await rt.kill(id, 'SIGKILL').catch(() => undefined);
      await Promise.race([rt.wait(id).catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
      await rt.remove(id);
    }
    rt.close();
  }

  async dispose(): Promise<void> {
    await this.clean();
    // conmon of the last container may still be finishing its log for a moment.
    for (let i = 0; i < 40; i++) {
      try {
        await removeCgroup(this.cgroup);
        break;
      } catch (e) {
        if (i === 39) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    rmSync(this.base, { recursive: true, force: true });
    this.layer.cleanup();
  }
}
