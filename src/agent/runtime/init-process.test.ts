import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { busyboxInit, findInit, isStaticElf, tiniInit } from './init-process.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('isStaticElf', () => {
  it('tells static executables from dynamic ones and non-ELF files', async () => {
    // The test image's busybox is the static build (busybox-static); node itself is dynamic.
    expect(await isStaticElf('/bin/busybox')).toBe(true);
    expect(await isStaticElf(process.execPath)).toBe(false);
    writeFileSync(join(dir, 'script'), '#!/bin/sh\necho hi\n');
    expect(await isStaticElf(join(dir, 'script'))).toBe(false);
    expect(await isStaticElf(join(dir, 'missing'))).toBe(false);
  });
});

describe('init wrappers', () => {
  it('puts the init in front of the app argv', () => {
    expect(tiniInit('/usr/bin/tini-static').wrap(['app', '-x'])).toEqual(['/dev/init', '--', 'app', '-x']);
    const bb = busyboxInit('/bin/busybox').wrap(['app', '-x']);
    expect(bb.slice(0, 3)).toEqual(['/dev/busybox-init', 'sh', '-c']);
    expect(bb.slice(-3)).toEqual(['minato-init', 'app', '-x']);
  });

  it('finds an init on this host', async () => {
    const init = await findInit();
    expect(init).toBeDefined();
    expect(existsSync(init!.hostPath)).toBe(true);
  });
});
