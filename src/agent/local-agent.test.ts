import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalAgent } from './local-agent.js';
import { fakeDeps, ScriptedRuntime } from './task/task-run.fixtures.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('LocalAgent.adopt', () => {
  it('removes the task cgroup and directory of a task it does not run', async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-agent-'));
    const leftover = 'a'.repeat(32);
    await mkdir(join(dir, leftover));
    const runtime = new ScriptedRuntime();
    const { deps, networks } = fakeDeps(runtime, undefined, dir);
    const agent = new LocalAgent({ ...deps, capacity: { cpu: 1024, memory: 1024 } });

    await agent.adopt([]);

    expect(runtime.removedCgroups).toEqual([`minato/${leftover}`]);
    expect(existsSync(join(dir, leftover))).toBe(false);
    expect(networks.torn).toEqual([]);
  });
});
