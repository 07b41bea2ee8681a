import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeLayerInventories } from './image-inventory.js';
import { factKind } from './layer-facts.js';
import { buildLayer } from './layer.fixtures.js';
import { readLayerInventory } from './layer-inventory.js';

const read = async (layer: Buffer): ReturnType<typeof readLayerInventory> => readLayerInventory(Readable.from([layer]));
const paths = (facts: { path: string }[] | undefined): string[] => (facts ?? []).map((f) => f.path).sort();

describe('factKind', () => {
  it('keeps the content of account databases and .npmrc files, the entry of setuid, credential and cache files', () => {
    expect(factKind('etc/shadow', 0o640, 100)).toBe('content');
    expect(factKind('home/app/.npmrc', 0o644, 100)).toBe('content');
    expect(factKind('usr/bin/passwd', 0o4755, 60_000)).toBe('entry');
    expect(factKind('usr/bin/wall', 0o2755, 20_000)).toBe('entry');
    expect(factKind('root/.ssh/id_rsa', 0o600, 2000)).toBe('entry');
    expect(factKind('srv/vpn.ovpn', 0o644, 2000)).toBe('entry');
    expect(factKind('var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease', 0o644, 2000)).toBe('entry');
    expect(factKind('var/cache/apk/APKINDEX.tar.gz', 0o644, 2000)).toBe('entry');
    expect(factKind('etc/shadow', 0o640, 2 * 1024 * 1024)).toBeUndefined();
    expect(factKind('usr/bin/ls', 0o755, 100_000)).toBeUndefined();
    expect(factKind('etc/hostname', 0o644, 10)).toBeUndefined();
  });

  it('notes every file with a setuid or setgid bit, whatever its name', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8}){0,3}$/), fc.integer({ min: 0, max: 0o777 }), fc.constantFrom(0o4000, 0o2000, 0o6000), (path, perm, special) => {
        expect(factKind(path, perm | special, 10)).not.toBeUndefined();
      }),
    );
  });
});

describe('file facts of layers', () => {
  it('are read with the inventory, and merge with whiteouts applied and the top layer winning', async () => {
    const base = await read(
      await buildLayer([
        { name: './etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
        { name: './etc/shadow', mode: 0o640, content: 'root::19000:0:99999:7:::\n' },
        { name: './bin/su', mode: 0o4755, content: 'su' },
        { name: './usr/bin/mount', mode: 0o4755, content: 'mount' },
        { name: './bin/ls', mode: 0o755, content: 'ls' },
        { name: './root/.ssh/id_rsa', mode: 0o600, content: 'key' },
        { name: './home/app/.npmrc', content: '//registry.npmjs.org/:_authToken=abc\n' },
        { name: './var/lib/apt/lists/', type: 'directory' as const, mode: 0o755 },
      ]),
    );
    expect(paths(base.facts)).toEqual(['bin/su', 'etc/passwd', 'etc/shadow', 'home/app/.npmrc', 'root/.ssh/id_rsa', 'usr/bin/mount']);
    expect(base.facts!.find((f) => f.path === 'bin/su')).toEqual({ path: 'bin/su', mode: 0o4755 });
    expect(base.facts!.find((f) => f.path === 'etc/shadow')).toEqual({ path: 'etc/shadow', mode: 0o640, content: 'root::19000:0:99999:7:::\n' });

    const top = await read(
      await buildLayer([
        { name: 'etc/shadow', mode: 0o640, content: 'root:*:19000:0:99999:7:::\n' },
        { name: 'usr/bin/.wh.mount' },
        { name: 'root/.wh..wh..opq' },
        { name: 'var/cache/apk/APKINDEX.tar.gz', content: 'x' },
      ]),
    );
    const image = mergeLayerInventories([base, top]);
    expect(paths(image.files)).toEqual(['bin/su', 'etc/passwd', 'etc/shadow', 'home/app/.npmrc', 'var/cache/apk/APKINDEX.tar.gz']);
    expect(image.files!.find((f) => f.path === 'etc/shadow')?.content).toBe('root:*:19000:0:99999:7:::\n');
  });

  it('an inventory cached before facts were read merges to none', async () => {
    const { facts: _facts, ...old } = await read(await buildLayer([{ name: 'bin/su', mode: 0o4755, content: 'su' }]));
    expect(mergeLayerInventories([old]).files).toEqual([]);
  });
});
