import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContainerState } from './run-context.js';
import { saveRunState } from './run-state-file.js';
import { takeBack } from './task-adoption.js';
import { RecoveryMode } from './task-recovery.js';
import { fakeContext, fakeNetworks, ScriptedRuntime } from './task-run.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-adoption-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const defs = [
  { name: 'app', image: 'busybox' },
  { name: 'side', image: 'busybox', essential: false },
];

/** A run that saved its state and started `started` before the agent went away, and a new context for it. */
async function crashed(started: string[]) {
  const runtime = new ScriptedRuntime();
  const before = fakeContext(defs, dir, runtime).ctx;
  mkdirSync(before.dir, { recursive: true });
  before.network = await fakeNetworks().setup({ taskId: before.spec.taskId, region: before.spec.region, portMappings: [] });
  for (const c of before.containers.values()) c.image = { manifestDigest: `sha256:${c.def.name}`, config: { StopSignal: 'SIGINT' }, layerDirs: [] };
  await saveRunState(before);
  for (const name of started) await runtime.start({ id: before.containers.get(name)!.runtimeId } as Parameters<ScriptedRuntime['start']>[0]);
  return { before, ...fakeContext(defs, dir, runtime) };
}

describe('takeBack', () => {
  it('follows a running container under its saved token and leaves one that never started pending', async () => {
    const { before, ctx } = await crashed(['app']);
    const followed: ContainerState[] = [];
    const plan = await takeBack(ctx, { lastStatus: 'RUNNING', startedAt: 42, containers: { app: { lastStatus: 'RUNNING' } } }, undefined, (c) => followed.push(c));
    expect(plan).toMatchObject({ mode: RecoveryMode.Resume, follow: ['app'], pending: ['side'] });
    expect(followed.map((c) => [c.def.name, c.status])).toEqual([['app', 'RUNNING']]);
    const app = ctx.containers.get('app')!;
    expect(app.token).toBe(before.containers.get('app')!.token);
    expect(ctx.containers.get('side')!.token).toBe(before.containers.get('side')!.token);
    expect(app.image).toMatchObject({ manifestDigest: 'sha256:app', config: { StopSignal: 'SIGINT' } });
    expect(ctx).toMatchObject({ status: 'RUNNING', network: before.network, attachmentId: before.attachmentId, timestamps: { startedAt: 42 } });
    expect(ctx.containers.get('side')!.status).toBe('PENDING');
  });

  it('follows nothing when a launch that had started nothing runs again from the beginning', async () => {
    const { before, ctx } = await crashed([]);
    const followed: ContainerState[] = [];
    const plan = await takeBack(ctx, { lastStatus: 'PENDING' }, undefined, (c) => followed.push(c));
    expect(plan.mode).toBe(RecoveryMode.Fresh);
    expect(followed).toEqual([]);
    expect(ctx.status).toBe('PROVISIONING');
    expect(ctx.containers.get('app')!.token).toBe(before.containers.get('app')!.token);
  });

  it('marks containers known to have stopped, and plans a stop that was asked for', async () => {
    const { ctx } = await crashed(['app']);
    const plan = await takeBack(
      ctx,
      { lastStatus: 'RUNNING', containers: { app: { lastStatus: 'RUNNING' }, side: { lastStatus: 'STOPPED', exitCode: 0 } } },
      { stopCode: 'UserInitiated', stoppedReason: 'bye' },
      () => undefined,
    );
    expect(plan).toMatchObject({ mode: RecoveryMode.Stop, stop: { stopCode: 'UserInitiated', stoppedReason: 'bye' } });
    expect(ctx.containers.get('side')).toMatchObject({ status: 'STOPPED', exitCode: 0 });
  });
});
