import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { logText } from './k8s-log.js';
import { RuntimeFixture, canRunContainers } from './runtime-fixture.js';

const LAUNCHER = fileURLToPath(new URL('./start-and-hang.ts', import.meta.url));

// Containers outlive the process that started them: conmon holds them, and a new runtime adopts them.
describe.skipIf(!canRunContainers)('RuncRuntime adoption across processes', () => {
  const fx = canRunContainers ? new RuntimeFixture() : undefined;
  afterAll(async () => {
    await fx?.dispose();
  });

  it('keeps a container running and logging after its launcher is SIGKILLed, and adopts it', async () => {
    const spec = fx!.spec('adopt-cross', ['sh', '-c', "trap 'echo stopping; exit 5' TERM; i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.1; done"]);
    const launcher = spawn(process.execPath, ['--import', 'tsx', LAUNCHER, JSON.stringify({ root: fx!.root, options: fx!.options(), spec })], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    launcher.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = once(launcher, 'exit');
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: launcher.stdout }).once('line', resolve);
      void exited.then(() => reject(new Error(`launcher exited: ${stderr}`)));
    });
    const { pid } = JSON.parse(first) as { pid: number };
    launcher.kill('SIGKILL');
    await exited;

    const rt = fx!.runtime();
    try {
      expect(await rt.list()).toEqual([spec.id]);
      expect(await rt.status(spec.id)).toEqual({ status: 'running', pid });
      // Still logging with nobody of ours reading its pipes: conmon does.
      const before = logText(spec.logPath).length;
      await expect.poll(() => logText(spec.logPath).length, { timeout: 5_000 }).toBeGreaterThan(before + 2);
      const handle = JSON.parse(readFileSync(`${fx!.root}/containers/${spec.id}/handle.json`, 'utf8')) as { conmonPid: number };
      expect(() => process.kill(handle.conmonPid, 0)).not.toThrow();
      // Moved out of the launcher's cgroup, so stopping the agent's service would not take it along.
      expect(readFileSync(`/proc/${handle.conmonPid}/cgroup`, 'utf8')).toMatch(new RegExp(`:memory:/${fx!.cgroup}/conmon$`, 'm'));

      const exit = rt.wait(spec.id);
      await rt.kill(spec.id, 'SIGTERM');
      expect((await exit).exitCode).toBe(5);
      expect(logText(spec.logPath).at(-1)).toBe('stopping');
      await rt.remove(spec.id);
      expect(await rt.list()).toEqual([]);
    } finally {
      rt.close();
    }
  });
});
