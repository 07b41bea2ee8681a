import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, comparableTaskDefinition, diffLines, sideBySide, type DiffLine } from './diff.js';

const left = (lines: DiffLine[]) => lines.flatMap((l) => (l.kind === 'added' ? [] : [l.left]));
const right = (lines: DiffLine[]) => lines.flatMap((l) => (l.kind === 'removed' ? [] : [l.right]));

describe('line diff', () => {
  it('rebuilds both sides, and keeps a longest common subsequence unchanged', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd', '"x": 1', '}');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.array(line, { maxLength: 30 }), (a, b) => {
        const d = diffLines(a, b);
        expect(left(d)).toEqual(a);
        expect(right(d)).toEqual(b);
        const same = d.filter((l) => l.kind === 'same').length;
        expect(same).toBe(lcsLength(a, b));
      }),
    );
  });

  it('shows one changed field of two revisions as one removed and one added line', () => {
    const a = canonicalJson(comparableTaskDefinition({ family: 'web', revision: 1, taskDefinitionArn: 'arn:1', containerDefinitions: [{ name: 'app', image: 'web:1', cpu: 256 }] })).split('\n');
    const b = canonicalJson(comparableTaskDefinition({ revision: 2, family: 'web', taskDefinitionArn: 'arn:2', containerDefinitions: [{ cpu: 256, image: 'web:2', name: 'app' }] })).split('\n');
    const d = diffLines(a, b);
    expect(d.filter((l) => l.kind === 'removed').map((l) => (l.kind === 'removed' ? l.left.trim() : ''))).toEqual(['"image": "web:1",']);
    expect(d.filter((l) => l.kind === 'added').map((l) => (l.kind === 'added' ? l.right.trim() : ''))).toEqual(['"image": "web:2",']);
    const rows = sideBySide(d);
    const changed = rows.filter((r) => r.left?.changed || r.right?.changed);
    expect(changed).toHaveLength(1);
    expect(changed[0]!.left!.no).toBe(changed[0]!.right!.no);
  });

  it('numbers lines from 1 on each side', () => {
    const d = diffLines(['x', 'y'], ['y', 'z']);
    expect(d).toEqual([
      { kind: 'removed', left: 'x', leftNo: 1 },
      { kind: 'same', left: 'y', right: 'y', leftNo: 2, rightNo: 1 },
      { kind: 'added', right: 'z', rightNo: 2 },
    ]);
  });
});

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) t[i]![j] = a[i - 1] === b[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
  return t[a.length]![b.length]!;
}
