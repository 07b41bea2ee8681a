import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildGoBuildInfo } from './go-buildinfo.js';
import { mergeLayerInventories } from './image-inventory.js';
import { buildLayer } from './layer.fixtures.js';
import { readLayerInventory } from './layer-inventory.js';

const read = async (layer: Buffer): ReturnType<typeof readLayerInventory> => readLayerInventory(Readable.from([layer]));
const npm = (name: string, version: string): string => JSON.stringify({ name, version, description: 'x' });
const names = (inv: { packages: { name: string; version: string }[] }): string[] => inv.packages.map((p) => `${p.name}@${p.version}`).sort();

describe('readLayerInventory', () => {
  it('reads the records of a layer and its whiteouts, gzip or plain', async () => {
    const entries = [
      { name: './etc/', type: 'directory' as const, mode: 0o755 },
      { name: './etc/os-release', type: 'symlink' as const, linkname: '../usr/lib/os-release' },
      { name: './usr/lib/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' },
      { name: './lib/apk/db/installed', content: 'P:busybox\nV:1.36.1-r15\no:busybox\n' },
      { name: 'app/node_modules/lodash/package.json', content: npm('lodash', '4.17.11') },
      { name: 'app/node_modules/@babel/core/package.json', content: npm('@babel/core', '7.0.0') },
      { name: 'app/node_modules/lodash/fp/package.json', content: npm('not-a-package', '1') },
      { name: 'usr/bin/app', mode: 0o755, content: Buffer.concat([Buffer.alloc(5000), buildGoBuildInfo('go1.22.1', ['mod\tex.com/app\tv1.0.0\t'])]) },
      { name: 'app/.wh.old.js' },
      { name: 'opt/.wh..wh..opq' },
    ];
    for (const gzip of [true, false]) {
      const inv = await read(await buildLayer(entries, gzip));
      expect(inv.deleted).toEqual(['app/old.js']);
      expect(inv.opaque).toEqual(['opt']);
      expect(inv.problems).toEqual([]);
      expect(inv.files.find((f) => f.path === 'usr/lib/os-release')?.osRelease).toEqual({ id: 'alpine', versionId: '3.19.1' });
      expect(names({ packages: inv.files.flatMap((f) => f.packages) })).toEqual(['@babel/core@7.0.0', 'busybox@1.36.1-r15', 'ex.com/app@v1.0.0', 'lodash@4.17.11', 'stdlib@v1.22.1']);
    }
  });

  it('records a malformed record file as a problem and goes on', async () => {
    const inv = await read(await buildLayer([{ name: 'node_modules/bad/package.json', content: '{not json' }, { name: 'node_modules/good/package.json', content: npm('good', '1.0.0') }]));
    expect(inv.problems).toEqual([{ path: 'node_modules/bad/package.json', reason: expect.any(String) }]);
    expect(names({ packages: inv.files.flatMap((f) => f.packages) })).toEqual(['good@1.0.0']);
  });

  it('fails on a corrupt layer', async () => {
    const layer = await buildLayer([{ name: 'node_modules/a/package.json', content: npm('a', '1.0.0') }]);
    await expect(read(layer.subarray(0, layer.length - 30))).rejects.toThrow();
  });
});

describe('mergeLayerInventories', () => {
  it('applies whiteouts, opaque directories and overwrites of lower layers', async () => {
    const base = await read(
      await buildLayer([
        { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' },
        { name: 'var/lib/dpkg/status', content: 'Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10+deb12u4\n' },
        { name: 'app/node_modules/lodash/package.json', content: npm('lodash', '4.17.11') },
        { name: 'app/node_modules/left-pad/package.json', content: npm('left-pad', '1.0.0') },
        { name: 'srv/node_modules/express/package.json', content: npm('express', '4.0.0') },
      ]),
    );
    const upgrade = await read(
      await buildLayer([
        { name: 'var/lib/dpkg/status', content: 'Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10+deb12u8\n' },
        { name: 'app/node_modules/.wh.left-pad' },
        { name: 'srv/.wh..wh..opq' },
        { name: 'srv/node_modules/koa/package.json', content: npm('koa', '2.0.0') },
      ]),
    );
    const image = mergeLayerInventories([base, upgrade]);
    expect(image.os).toEqual({ id: 'debian', versionId: '12', versionCodename: 'bookworm' });
    expect(names(image)).toEqual(['curl@7.88.1-10+deb12u8', 'koa@2.0.0', 'lodash@4.17.11']);
    expect(names(mergeLayerInventories([base]))).toEqual(['curl@7.88.1-10+deb12u4', 'express@4.0.0', 'left-pad@1.0.0', 'lodash@4.17.11']);
  });
});
