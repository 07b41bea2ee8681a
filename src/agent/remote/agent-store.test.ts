import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskLaunchSpec } from '../../agent-contract/task-contract.js';
import { AgentStore } from './agent-store.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
const spec = (taskId: string) => ({ taskArn: `arn:task/${taskId}`, taskId }) as TaskLaunchSpec;

describe('AgentStore', () => {
  it('keeps the instance ARN, specs and their cumulative state, and forgets a task entirely', async () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-agent-store-'));
    const store = new AgentStore(dir);
    expect(await store.instance()).toBeUndefined();
    await store.saveInstance('arn:i', 'secret');
    await store.saveSpec(spec('a1'));
    await store.saveSpec(spec('b2'));
    await store.saveState('a1', { lastStatus: 'RUNNING' });
    const again = new AgentStore(dir);
    expect(await again.instance()).toEqual({ containerInstanceArn: 'arn:i', instanceSecret: 'secret' });
    const loaded = (await again.load()).sort((x, y) => x.spec.taskId.localeCompare(y.spec.taskId));
    expect(loaded).toEqual([
      { spec: spec('a1'), state: { lastStatus: 'RUNNING' } },
      { spec: spec('b2'), state: {} },
    ]);
    await again.forget('a1');
    expect(readdirSync(join(dir, 'specs')).sort()).toEqual(['b2.json']);
  });

  it('skips unreadable files and refuses task ids that would leave the specs dir', async () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-agent-store-'));
    const store = new AgentStore(dir);
    await store.saveSpec(spec('ok'));
    writeFileSync(join(dir, 'specs', 'broken.json'), '{');
    const bad: string[] = [];
    expect((await store.load((file) => bad.push(file))).map((t) => t.spec.taskId)).toEqual(['ok']);
    expect(bad).toEqual(['broken.json']);
    await expect(store.saveSpec(spec('../escape'))).rejects.toThrow(/invalid task id/);
  });
});
