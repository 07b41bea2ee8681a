import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withHostsBlock, writeHostsBlock } from './hosts-file.js';

describe('hosts block', () => {
  it('adds, replaces and removes only its own block', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'minato-hosts-'));
    const path = join(dir, 'hosts');
    try {
      await writeFile(path, '127.0.0.1 localhost\n');
      await writeHostsBlock(path, 'one', [{ address: '127.78.0.1', name: 'a.elb.localhost' }]);
      await writeHostsBlock(path, 'two', [{ address: '127.78.0.2', name: 'b.elb.localhost' }]);
      await writeHostsBlock(path, 'one', [{ address: '127.78.0.3', name: 'c.elb.localhost' }]);
      const both = await readFile(path, 'utf8');
      expect(both).toContain('127.78.0.3 c.elb.localhost');
      expect(both).not.toContain('a.elb.localhost');
      expect(both).toContain('127.78.0.2 b.elb.localhost');
      await writeHostsBlock(path, 'one', []);
      await writeHostsBlock(path, 'two', []);
      expect(await readFile(path, 'utf8')).toBe('127.0.0.1 localhost\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('removing a block gives back the text without it, whatever the rest holds', () => {
    const line = fc.stringMatching(/^[a-z0-9. #]{0,20}$/);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), fc.array(fc.tuple(fc.ipV4(), fc.domain()), { maxLength: 4 }), (lines, names) => {
        const base = withHostsBlock(lines.join('\n'), 'x', []);
        const added = withHostsBlock(base, 'x', names.map(([address, name]) => ({ address, name })));
        expect(withHostsBlock(added, 'x', [])).toBe(base);
        expect(withHostsBlock(added, 'y', [])).toBe(added);
      }),
    );
  });
});
