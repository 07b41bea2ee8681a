import { describe, expect, it } from 'vitest';
import type { Store } from './store.js';

/**
 * The behaviour every Store implementation must have. Run it against each implementation
 * (`describeStoreSuite('sqlite', () => new SqliteStore(...))`).
 */
export function describeStoreSuite(name: string, open: () => Store | Promise<Store>): void {
  describe(`Store suite: ${name}`, () => {
    it('puts, gets, inserts and deletes documents as deep copies', async () => {
      const store = await open();
      const c = store.collection<{ n: number; tags: string[] }>('things');
      const doc = { n: 1, tags: ['a'] };
      await c.put('k1', doc);
      doc.tags.push('mutated');
      expect(await c.get('k1')).toEqual({ n: 1, tags: ['a'] });
      expect(await c.insert('k1', { n: 2, tags: [] })).toBe(false);
      expect(await c.insert('k2', { n: 2, tags: [] })).toBe(true);
      await c.put('k1', { n: 3, tags: [] });
      expect((await c.get('k1'))?.n).toBe(3);
      expect(await c.delete('k1')).toBe(true);
      expect(await c.delete('k1')).toBe(false);
      expect(await c.get('k1')).toBeUndefined();
      // Collections are separate namespaces.
      expect(await store.collection('other').get('k2')).toBeUndefined();
      await store.close();
    });

    it('lists in key order with prefix, after and limit', async () => {
      const store = await open();
      const c = store.collection<number>('ordered');
      const keys = ['b/2', 'a/1', 'b/10', 'b/1', 'c', 'b', 'ba'];
      for (const [i, k] of keys.entries()) await c.put(k, i);
      const all = (await c.list()).map((e) => e.key);
      expect(all).toEqual([...keys].sort());
      expect((await c.list({ prefix: 'b/' })).map((e) => e.key)).toEqual(['b/1', 'b/10', 'b/2']);
      expect((await c.list({ prefix: 'b/', after: 'b/1' })).map((e) => e.key)).toEqual(['b/10', 'b/2']);
      expect((await c.list({ prefix: 'b/', limit: 2 })).map((e) => e.key)).toEqual(['b/1', 'b/10']);
      expect((await c.list({ after: 'b/2' })).map((e) => e.key)).toEqual(['ba', 'c']);
      // An `after` below the prefix does not widen the range.
      expect((await c.list({ prefix: 'b/', after: 'a' })).map((e) => e.key)).toEqual(['b/1', 'b/10', 'b/2']);
      expect(await c.list({ prefix: 'zz' })).toEqual([]);
      await store.close();
    });

    it('lists several collections under one prefix at once, each as its own list would', async () => {
      const store = await open();
      const put = (name: string, key: string) => store.collection<string>(name).put(key, `${name} ${key}`);
      for (const k of ['x/2', 'x/1', 'x\uFFFF', 'y/1', 'x', 'w']) await put('across-a', k);
      await put('across-b', 'x/\u00e9');
      await put('across-b', 'x/z');
      await put('across-c', 'y/1');
      const names = ['across-b', 'across-a', 'across-c', 'across-none'];
      for (const prefix of ['x/', 'x', '', '\uFFFF']) {
        const expected = await Promise.all(names.map((name) => store.collection<string>(name).list({ prefix })));
        expect(await store.listAcross<string>(names, prefix)).toEqual(expected);
      }
      expect((await store.listAcross<string>(names, 'x/')).map((l) => l.map((e) => e.key))).toEqual([['x/z', 'x/\u00e9'], ['x/1', 'x/2'], [], []]);
      await store.close();
    });

    it('orders keys beyond ASCII by UTF-16 code unit', async () => {
      const store = await open();
      const c = store.collection<number>('unicode');
      // Latin-1, the end of the BMP and CJK: one code unit each, where UTF-8 and UTF-16 agree.
      const keys = ['z', 'é', 'ü/1', 'ü', '中', '中/a', '\uFFFF', '\u00FF\uFFFF', '\u0100'];
      for (const [i, k] of keys.entries()) await c.put(k, i);
      expect((await c.list()).map((e) => e.key)).toEqual([...keys].sort());
      expect((await c.list({ prefix: 'ü' })).map((e) => e.key)).toEqual(['ü', 'ü/1']);
      expect((await c.list({ prefix: '\u00FF' })).map((e) => e.key)).toEqual(['\u00FF\uFFFF']);
      expect((await c.list({ after: '中' })).map((e) => e.key)).toEqual(['中/a', '\uFFFF']);
      expect(await c.get('中/a')).toBe(5);
      await store.close();
    });

    it('commits a transaction as a whole and rolls back a failed one', async () => {
      const store = await open();
      const c = store.collection<number>('tx');
      await store.transaction(async (tx) => {
        await tx.collection<number>('tx').put('a', 1);
        expect(await tx.collection<number>('tx').get('a')).toBe(1);
        await tx.collection<number>('tx').put('b', 2);
      });
      expect((await c.list()).map((e) => e.value)).toEqual([1, 2]);
      await expect(
        store.transaction(async (tx) => {
          await tx.collection<number>('tx').put('a', 100);
          await tx.collection<number>('tx').delete('b');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await c.get('a')).toBe(1);
      expect(await c.get('b')).toBe(2);
      await store.close();
    });

    it('serialises concurrent read-modify-write transactions so no update is lost', async () => {
      const store = await open();
      const counter = store.collection<number>('counter');
      await counter.put('n', 0);
      await Promise.all(
        Array.from({ length: 50 }, () =>
          store.transaction(async (tx) => {
            const c = tx.collection<number>('counter');
            const n = (await c.get('n')) ?? 0;
            await new Promise((r) => setImmediate(r));
            await c.put('n', n + 1);
          }),
        ),
      );
      expect(await counter.get('n')).toBe(50);
      await store.close();
    });

    it('does not let a write outside a transaction join a failing one', async () => {
      const store = await open();
      const c = store.collection<number>('iso');
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const failing = store.transaction(async (tx) => {
        await tx.collection<number>('iso').put('x', 1);
        await gate;
        throw new Error('rollback');
      });
      const outside = c.put('y', 2);
      release();
      await expect(failing).rejects.toThrow('rollback');
      await outside;
      expect(await c.get('x')).toBeUndefined();
      expect(await c.get('y')).toBe(2);
      await store.close();
    });
  });
}
