import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.js';
import { SqliteStore } from './sqlite-store.js';
import { describeStoreSuite } from './store-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeStoreSuite('memory', () => new MemoryStore());
describeStoreSuite('sqlite', () => new SqliteStore(join(dir, `suite-${n++}.db`)));

describe('SqliteStore', () => {
  it('keeps documents across close and reopen', async () => {
    const file = join(dir, 'reopen.db');
    const first = new SqliteStore(file);
    await first.collection<string>('c').put('k', 'v');
    await first.close();
    const second = new SqliteStore(file);
    expect(await second.collection<string>('c').get('k')).toBe('v');
    await second.close();
  });
});
