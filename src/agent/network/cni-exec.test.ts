import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CniError, execAdd, execPlugin, findPlugin } from './cni-exec.js';

// Stand-in plugins: small shell scripts speaking the execution protocol.
const PLUGINS: Record<string, string> = {
  probe: `cat > "$0.stdin"
env | grep '^CNI_' | sort > "$0.env"
case "$CNI_COMMAND" in
  ADD) printf '{"cniVersion":"1.0.0","interfaces":[{"name":"%s","sandbox":"%s"}],"ips":[{"address":"10.0.0.2/24","interface":0}]}' "$CNI_IFNAME" "$CNI_NETNS" ;;
  VERSION) echo '{"cniVersion":"1.0.0","supportedVersions":["0.4.0","1.0.0"]}' ;;
esac`,
  fails: `echo '{"cniVersion":"1.0.0","code":11,"msg":"try later","details":"the lock is busy"}'; exit 1`,
  crashes: `echo 'panic: nil pointer' >&2; exit 2`,
  garbage: `echo 'not json'`,
  noaddr: `echo '{"cniVersion":"1.0.0","ips":[{"gateway":"10.0.0.1"}]}'`,
  hangs: `exec sleep 30`,
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'minato-cni-exec-'));
  for (const [name, body] of Object.entries(PLUGINS)) {
    await writeFile(join(dir, name), `#!/bin/sh\n${body}\n`);
    await chmod(join(dir, name), 0o755);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const opts = () => ({ cniPath: `/nonexistent:${dir}`, timeoutMs: 5_000 });
const attachment = { containerId: 'task-1', netns: '/var/run/netns/minato-task-1', ifName: 'eth0', args: 'IgnoreUnknown=1' };

async function failure(p: Promise<unknown>): Promise<CniError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CniError);
  return e as CniError;
}

describe('execPlugin', () => {
  it('passes the command and attachment in the environment and the configuration on stdin', async () => {
    const result = await execAdd('probe', attachment, { cniVersion: '1.0.0', name: 'n', type: 'probe' }, opts());
    expect(result.interfaces).toEqual([{ name: 'eth0', sandbox: '/var/run/netns/minato-task-1' }]);
    expect(JSON.parse(await readFile(join(dir, 'probe.stdin'), 'utf8'))).toEqual({ cniVersion: '1.0.0', name: 'n', type: 'probe' });
    expect((await readFile(join(dir, 'probe.env'), 'utf8')).trim().split('\n')).toEqual([
      'CNI_ARGS=IgnoreUnknown=1',
      'CNI_COMMAND=ADD',
      'CNI_CONTAINERID=task-1',
      'CNI_IFNAME=eth0',
      'CNI_NETNS=/var/run/netns/minato-task-1',
      `CNI_PATH=/nonexistent:${dir}`,
    ]);
  });

  it('runs VERSION without an attachment and DEL with an empty namespace', async () => {
    expect(await execPlugin('probe', 'VERSION', undefined, { cniVersion: '1.0.0' }, opts())).toEqual({
      cniVersion: '1.0.0',
      supportedVersions: ['0.4.0', '1.0.0'],
    });
    expect(await readFile(join(dir, 'probe.env'), 'utf8')).not.toContain('CNI_CONTAINERID');
    expect(await execPlugin('probe', 'DEL', { ...attachment, netns: '' }, {}, opts())).toBeUndefined();
    expect(await readFile(join(dir, 'probe.env'), 'utf8')).toContain('CNI_NETNS=\n');
  });

  it("reports a plugin's error result with its code, message and details", async () => {
    const e = await failure(execPlugin('fails', 'ADD', attachment, {}, opts()));
    expect(e).toMatchObject({ plugin: 'fails', command: 'ADD', code: 11, details: 'the lock is busy' });
    expect(e.message).toBe('CNI fails ADD failed: try later (the lock is busy)');
  });

  it('reports a crash with what the plugin printed', async () => {
    const e = await failure(execPlugin('crashes', 'DEL', attachment, {}, opts()));
    expect(e.code).toBe(0);
    expect(e.message).toContain('exited with 2: panic: nil pointer');
  });

  it('refuses output that is not a result', async () => {
    expect((await failure(execPlugin('garbage', 'ADD', attachment, {}, opts()))).message).toContain('unreadable output');
    expect((await failure(execAdd('noaddr', attachment, {}, opts()))).message).toContain('an ip has no address');
  });

  it('kills a plugin that outlives the timeout', async () => {
    const started = Date.now();
    await expect(execPlugin('hangs', 'ADD', attachment, {}, { ...opts(), timeoutMs: 200 })).rejects.toThrow('did not finish within 200 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('finds plugins in CNI_PATH order, and only plain names', async () => {
    expect(await findPlugin('probe', opts().cniPath)).toBe(join(dir, 'probe'));
    await expect(findPlugin('missing', opts().cniPath)).rejects.toThrow('plugin not found');
    await expect(findPlugin('../probe', opts().cniPath)).rejects.toThrow('invalid plugin type');
  });
});
