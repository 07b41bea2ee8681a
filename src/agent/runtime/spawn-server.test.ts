import { afterAll, describe, expect, it } from 'vitest';
import { runChild } from './run-child.js';
import { SpawnServer } from './spawn-server.js';
import type { RunRequest } from './spawn-protocol.js';

const server = new SpawnServer();
afterAll(() => server.close());

const sh = (script: string, more: Partial<RunRequest> = {}): RunRequest => ({
  file: '/bin/sh',
  args: ['-c', script],
  env: { PATH: '/usr/bin:/bin', GREETING: 'hello' },
  timeoutMs: 5_000,
  ...more,
});

describe.each([
  ['the spawn server', (req: RunRequest) => server.run(req)],
  ['in process', runChild],
])('running helpers %s', (_name, run) => {
  it('returns exit code, stdout and stderr, with only the given environment', async () => {
    const r = await run(sh('echo "$GREETING $HOME"; echo oops >&2; exit 3'));
    expect(r).toEqual({ code: 3, signal: null, stdout: 'hello \n', stderr: 'oops\n', timedOut: false });
  });

  it('feeds the input on stdin and runs in the given directory', async () => {
    const r = await run(sh('pwd; cat', { input: 'from stdin', cwd: '/tmp' }));
    expect(r.stdout).toBe('/tmp\nfrom stdin');
  });

  it('merges stderr into stdout in arrival order, and keeps at most maxOutput bytes', async () => {
    const merged = await run(sh('echo one; sleep 0.05; echo two >&2; sleep 0.05; echo three', { mergeOutput: true }));
    expect([merged.stdout, merged.stderr]).toEqual(['one\ntwo\nthree\n', '']);
    const cut = await run(sh('printf 0123456789; printf abcdef >&2', { maxOutput: 4 }));
    expect([cut.stdout, cut.stderr]).toEqual(['0123', 'abcd']);
  });

  it('kills a command past its timeout', async () => {
    const t0 = Date.now();
    const r = await run(sh('sleep 5', { timeoutMs: 200 }));
    expect(r).toMatchObject({ code: null, signal: 'SIGKILL', timedOut: true });
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it('rejects when the command cannot be started', async () => {
    await expect(run({ file: '/nonexistent/helper', args: [], env: {}, timeoutMs: 1_000 })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('SpawnServer', () => {
  it('runs requests concurrently, each answered with its own result', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => server.run(sh(`sleep 0.0${i % 5}; echo ${i}`))));
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it('starts a new server after the last one was closed', async () => {
    server.close();
    expect((await server.run(sh('echo again'))).stdout).toBe('again\n');
  });
});
