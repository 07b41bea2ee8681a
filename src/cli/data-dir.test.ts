import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { preparePrivateDataDir } from './data-dir.js';

const root = mkdtempSync(join(tmpdir(), 'minato-datadir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the private data dir', () => {
  it('is created 0700, parents included', () => {
    const dir = join(root, 'a', 'b');
    const warnings: string[] = [];
    preparePrivateDataDir(dir, (_d, m) => warnings.push(m));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(warnings).toEqual([]);
  });

  it('is tightened to 0700 with a warning when group or others could reach it', () => {
    const dir = join(root, 'loose');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const warnings: Array<{ details: object; message: string }> = [];
    preparePrivateDataDir(dir, (details, message) => warnings.push({ details, message }));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(warnings).toEqual([{ details: { dataDir: dir, mode: '0755' }, message: expect.stringContaining('0700') }]);
  });

  it('refuses a path that is not a directory', () => {
    const dir = join(root, 'file');
    writeFileSync(dir, '');
    expect(() => preparePrivateDataDir(dir, () => undefined)).toThrow();
  });
});
