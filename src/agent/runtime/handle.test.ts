import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContainerPaths, HANDLE_VERSION, exitOf, listHandles, readHandle, writeHandle, type ContainerHandle } from './handle.js';

const root = mkdtempSync(join(tmpdir(), 'minato-handle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function handle(id: string): ContainerHandle {
  return {
    version: HANDLE_VERSION,
    id,
    cgroupsPath: `/minato/${id}`,
    createdAt: '2024-01-01T00:00:00.000Z',
  };
}

describe('container handles', () => {
  it('round-trips, lists only directories with a handle, and leaves no temporary file', async () => {
    const a = new ContainerPaths(root, 'a');
    mkdirSync(a.dir, { recursive: true });
    const h = handle('a');
    h.exit = { exitCode: 137, oomKilled: true, exitedAt: '2024-01-01T00:00:05.000Z' };
    await Promise.all([writeHandle(a, h), writeHandle(a, h)]);
    expect(await readHandle(a)).toEqual(h);
    expect(exitOf(h)).toEqual({ exitCode: 137, oomKilled: true, exitedAt: new Date('2024-01-01T00:00:05.000Z') });
    expect(readdirSync(a.dir)).toEqual(['handle.json']);
    mkdirSync(join(root, 'containers', 'half-created'), { recursive: true });
    expect(await listHandles(root)).toEqual(['a']);
    expect(await readHandle(new ContainerPaths(root, 'missing'))).toBeUndefined();
  });

  it('is written 0600 and without a spec, so an older handle loses its environment when rewritten', async () => {
    const c = new ContainerPaths(root, 'c');
    mkdirSync(c.dir, { recursive: true });
    const spec = { id: 'c', layerDirs: ['/l'], args: ['a'], env: ['DB_PASSWORD=hunter2'], logPath: '/log' };
    writeFileSync(c.handle, JSON.stringify({ ...handle('c'), spec }));
    const old = await readHandle(c);
    old!.pid = 42;
    await writeHandle(c, old!);
    expect(statSync(c.handle).mode & 0o777).toBe(0o600);
    expect(readFileSync(c.handle, 'utf8')).not.toContain('hunter2');
    expect(await readHandle(c)).toEqual({ ...handle('c'), pid: 42 });
  });

  it('refuses a handle of another version', async () => {
    const b = new ContainerPaths(root, 'b');
    mkdirSync(b.dir, { recursive: true });
    writeFileSync(b.handle, JSON.stringify({ ...handle('b'), version: 99 }));
    await expect(readHandle(b)).rejects.toThrow(/version 99/);
  });
});
