import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitWatcher } from './exit-watcher.js';
import type { ContainerExit } from './runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-exits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads `<dir>/<id>` as conmon's exit file. */
async function check(id: string): Promise<ContainerExit | undefined> {
  const file = join(dir, id);
  if (!existsSync(file)) return undefined;
  return { exitCode: Number(readFileSync(file, 'utf8')), oomKilled: false, exitedAt: new Date() };
}

/** Writes an exit file by rename, as conmon does. */
function writeExit(id: string, code: number): void {
  writeFileSync(join(dir, `.${id}.tmp`), String(code));
  renameSync(join(dir, `.${id}.tmp`), join(dir, id));
}

describe('ExitWatcher', () => {
  it('wakes waiters through inotify, well before its poll', async () => {
    const w = new ExitWatcher(dir, check, 60_000);
    const a = w.wait('a');
    const b = w.wait('a');
    const t0 = Date.now();
    setTimeout(() => writeExit('a', 3), 50);
    expect((await a).exitCode).toBe(3);
    expect((await b).exitCode).toBe(3);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('resolves at once for an exit written before the wait', async () => {
    writeExit('early', 0);
    const w = new ExitWatcher(dir, check, 60_000);
    expect((await w.wait('early')).exitCode).toBe(0);
  });

  it('finds by polling what inotify does not report', async () => {
    let final = false;
    const w = new ExitWatcher(dir, async () => (final ? { exitCode: -1, oomKilled: false, exitedAt: new Date() } : undefined), 20);
    const p = w.wait('lost');
    setTimeout(() => (final = true), 50);
    expect((await p).exitCode).toBe(-1);
  });

  it('rejects waiters on cancel, close and a failing check', async () => {
    const w = new ExitWatcher(dir, check, 60_000);
    const a = w.wait('x');
    const b = w.wait('y');
    w.cancel('x', new Error('removed'));
    await expect(a).rejects.toThrow('removed');
    w.close(new Error('closed'));
    await expect(b).rejects.toThrow('closed');
    const failing = new ExitWatcher(dir, async () => {
      throw new Error('broken');
    });
    await expect(failing.wait('z')).rejects.toThrow('broken');
  });
});
