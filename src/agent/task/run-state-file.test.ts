import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRunState, saveRunState } from './run-state-file.js';
import { fakeContext, fakeNetworks } from './task-run.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-runstate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run state file', () => {
  it('saves network, timestamps, attachment id, tokens and images to run.json (0600, no temporary file left)', async () => {
    const { ctx } = fakeContext([{ name: 'app', image: 'busybox' }], dir);
    mkdirSync(ctx.dir, { recursive: true });
    ctx.network = await fakeNetworks().setup({ taskId: ctx.spec.taskId, region: ctx.spec.region, portMappings: [] });
    ctx.timestamps.pullStartedAt = 1;
    const app = ctx.containers.get('app')!;
    app.image = { manifestDigest: 'sha256:abc', config: { StopSignal: 'SIGQUIT' }, layerDirs: ['/l'] };
    await saveRunState(ctx);
    expect(readdirSync(ctx.dir)).toEqual(['run.json']);
    expect(statSync(join(ctx.dir, 'run.json')).mode & 0o777).toBe(0o600);
    expect(await readRunState(ctx.dir)).toEqual({
      network: ctx.network,
      timestamps: { pullStartedAt: 1 },
      attachmentId: ctx.attachmentId,
      tokens: { app: app.token },
      credentialsId: ctx.credentialsId,
      images: { app: { manifestDigest: 'sha256:abc', stopSignal: 'SIGQUIT' } },
    });
  });

  it('reads none where nothing was saved, and throws on a file that does not parse', async () => {
    expect(await readRunState(join(dir, 'absent'))).toBeUndefined();
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'run.json'), '{"network":');
    await expect(readRunState(bad)).rejects.toThrow(SyntaxError);
  });
});
