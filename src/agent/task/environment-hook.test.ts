import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveEnvironment } from './environment-hook.js';
import { fakeContext } from './task-run.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-envhook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveEnvironment', () => {
  it('resolves secrets and reads environment files; an override’s files replace the definition’s', async () => {
    writeFileSync(join(dir, 'def.env'), 'FROM=def\n');
    writeFileSync(join(dir, 'over.env'), '# comment\nFROM=override\n');
    const { ctx, deps } = fakeContext([
      { name: 'a', image: 'busybox', secrets: [{ name: 'PW', valueFrom: 'arn:pw' }], environmentFiles: [{ type: 's3', value: join(dir, 'def.env') }] },
      { name: 'b', image: 'busybox', environmentFiles: [{ type: 's3', value: join(dir, 'def.env') }] },
    ]);
    deps.secrets = async (valueFrom, region) => `${valueFrom}@${region}`;
    Object.assign(ctx.spec.overrides, { containerOverrides: [{ name: 'b', environmentFiles: [{ type: 's3', value: join(dir, 'over.env') }] }] });
    await resolveEnvironment(ctx, [...ctx.containers.values()]);
    expect(ctx.containers.get('a')).toMatchObject({ secretEnv: ['PW=arn:pw@us-east-1'], fileEnv: ['FROM=def'] });
    expect(ctx.containers.get('b')).toMatchObject({ secretEnv: [], fileEnv: ['FROM=override'] });
  });

  it('fails with ResourceInitializationError for a missing secret, store or file', async () => {
    const secret = fakeContext([{ name: 'a', image: 'busybox', secrets: [{ name: 'X', valueFrom: 'arn:x' }] }]);
    await expect(resolveEnvironment(secret.ctx, [...secret.ctx.containers.values()])).rejects.toThrow(
      'ResourceInitializationError: unable to pull secrets or registry auth: no secret store is configured',
    );
    secret.deps.secrets = async () => {
      throw new Error('not found');
    };
    await expect(resolveEnvironment(secret.ctx, [...secret.ctx.containers.values()])).rejects.toThrow(/^ResourceInitializationError: not found$/);
    const missing = join(dir, 'none.env');
    const file = fakeContext([{ name: 'a', image: 'busybox', environmentFiles: [{ type: 's3', value: missing }] }]);
    await expect(resolveEnvironment(file.ctx, [...file.ctx.containers.values()])).rejects.toThrow(
      `ResourceInitializationError: failed to download env files: file not found: ${missing}`,
    );
  });
});
