import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLock, DataDirLockedError, HOLDER_FILE, LOCK_FILE } from './data-dir-lock.js';

const root = mkdtempSync(join(tmpdir(), 'minato-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the data dir lock', () => {
  it('lets one holder in, names it to the next, and lets the next in once released', () => {
    const dir = mkdtempSync(join(root, 'd-'));
    const first = DataDirLock.acquire(dir, 'up');
    first.announce('http://127.0.0.1:4566');
    let refused: unknown;
    try {
      DataDirLock.acquire(dir, 'up');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as DataDirLockedError).holder).toMatchObject({ pid: process.pid, command: 'up', endpoint: 'http://127.0.0.1:4566' });
    expect((refused as Error).message).toContain(`pid ${process.pid}`);
    // A refused attempt leaves the holder's lock in place.
    expect(() => DataDirLock.acquire(dir, 'agent')).toThrow(DataDirLockedError);
    first.release();
    const second = DataDirLock.acquire(dir, 'agent');
    expect(JSON.parse(readFileSync(join(dir, HOLDER_FILE), 'utf8'))).toMatchObject({ pid: process.pid, command: 'agent' });
    second.release();
  });

  it('keeps its files private', () => {
    const dir = mkdtempSync(join(root, 'd-'));
    const lock = DataDirLock.acquire(dir, 'up');
    expect(statSync(join(dir, LOCK_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, HOLDER_FILE)).mode & 0o777).toBe(0o600);
    lock.release();
  });
});
