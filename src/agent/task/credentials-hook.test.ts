import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RoleCredentials, TaskRoleCredentialSource } from '../../agent-contract/ports.js';
import { credentialsProvider } from './credentials-hook.js';
import type { CredentialsProvider } from './ports.js';
import { fakeContext, fakeDeps, fakeImages, fakeMetadata, launchSpec, ScriptedRuntime, statuses } from './task-run.fixtures.js';
import { TaskRun } from './task-run.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-credhook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROLE = 'arn:aws:iam::000000000000:role/app';
const EXEC = 'arn:aws:iam::000000000000:role/exec';
const REASON = (arn: string) => `ECS was unable to assume the role '${arn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`;

/** A credential source that trusts the listed roles; each call issues new keys valid for `lifeMs` from `now()`. */
function source(trusted: string[], now: () => number = Date.now, lifeMs = 6 * 3600_000) {
  const asked: string[] = [];
  const fn: TaskRoleCredentialSource = async ({ roleArn, taskId }) => {
    asked.push(roleArn);
    if (!trusted.includes(roleArn)) return { ok: false, reason: REASON(roleArn) };
    const credentials: RoleCredentials = { RoleArn: roleArn, AccessKeyId: `ASIA${asked.length}`, SecretAccessKey: `secret-${taskId}`, Token: 'tok', Expiration: new Date(now() + lifeMs).toISOString() };
    return { ok: true, credentials };
  };
  return { fn, asked };
}

describe('task roles at start', () => {
  it('serves the task role under an unguessable relative URI, with the endpoint URL, to the task only', async () => {
    const runtime = new ScriptedRuntime();
    const { deps, reports } = fakeDeps(runtime, undefined, dir);
    const served = new Map<string, CredentialsProvider>();
    deps.metadata = fakeMetadata(served);
    const src = source([ROLE, EXEC]);
    deps.credentials = src.fn;
    deps.taskEndpoint = async (gateway) => `http://${gateway}:4566`;
    const spec = { ...launchSpec([{ name: 'app', image: 'busybox' }, { name: 'own', image: 'busybox', environment: [{ name: 'AWS_ENDPOINT_URL', value: 'http://elsewhere' }] }]), taskRoleArn: ROLE, executionRoleArn: EXEC };
    const run = new TaskRun(spec, deps);
    await run.start();
    expect(statuses(reports)).toContain('RUNNING');
    expect(src.asked).toEqual([EXEC, ROLE]);
    const envOf = (name: string) => [...runtime.specs.values()].find((s) => s.id.endsWith(`-${name}`))!.env;
    const uri = envOf('app').find((e) => e.startsWith('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI='))!.split('=')[1]!;
    expect(uri).toMatch(/^\/v2\/credentials\/[0-9a-f-]{36}$/);
    expect(envOf('app')).toContain('AWS_ENDPOINT_URL=http://10.9.0.1:4566');
    expect(envOf('app')).toContain('AWS_REGION=us-east-1');
    expect(envOf('own').filter((e) => e.startsWith('AWS_ENDPOINT_URL='))).toEqual(['AWS_ENDPOINT_URL=http://elsewhere']);
    const provider = served.get(uri.slice('/v2/credentials/'.length))!;
    expect(provider.sourceAddress).toBe('10.9.0.2');
    expect(await provider.credentials()).toMatchObject({ RoleArn: ROLE, AccessKeyId: 'ASIA2' });
    await run.stop({ stopCode: 'UserInitiated', stoppedReason: 'bye' });
    expect(served.size).toBe(0);
  });

  it("stops the task with ECS's reason, before any pull, when a role cannot be assumed", async () => {
    for (const [trusted, bad] of [[[ROLE], EXEC], [[EXEC], ROLE]] as const) {
      const runtime = new ScriptedRuntime();
      const pulled: string[] = [];
      const images = fakeImages(['busybox']);
      const { deps, reports } = fakeDeps(runtime, { pull: async (image, o) => (pulled.push(image), images.pull(image, o)) }, dir);
      deps.credentials = source([...trusted]).fn;
      await new TaskRun({ ...launchSpec([{ name: 'app', image: 'busybox' }]), taskRoleArn: ROLE, executionRoleArn: EXEC }, deps).start();
      const stopped = reports.find((r) => r.lastStatus === 'DEACTIVATING')!;
      expect(stopped).toMatchObject({ stopCode: 'TaskFailedToStart', stoppedReason: REASON(bad) });
      expect(statuses(reports).at(-1)).toBe('STOPPED');
      expect(pulled).toEqual([]);
      expect(runtime.started).toEqual([]);
    }
  });
});

describe('credentialsProvider', () => {
  it('renews the credentials once half their life has passed, and keeps them while a renewal fails', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const now = () => t;
    const { ctx, deps } = fakeContext([{ name: 'app', image: 'busybox' }], dir);
    Object.assign(ctx.spec, { taskRoleArn: ROLE });
    const src = source([ROLE], now);
    deps.credentials = src.fn;
    const provider = credentialsProvider(ctx, now);
    const first = await provider.credentials();
    expect(await provider.credentials()).toBe(first);
    t += 2 * 3600_000;
    expect(await provider.credentials()).toBe(first);
    t += 1.5 * 3600_000;
    const renewed = await provider.credentials();
    expect(renewed.AccessKeyId).not.toBe(first.AccessKeyId);
    expect(Date.parse(renewed.Expiration) - t).toBe(6 * 3600_000);
    deps.credentials = async () => {
      throw new Error('control plane unreachable');
    };
    t += 4 * 3600_000;
    expect(await provider.credentials()).toBe(renewed);
    t += 2.5 * 3600_000;
    await expect(provider.credentials()).rejects.toThrow('control plane unreachable');
  });
});
