/**
 * Line diff of two texts (two task definition revisions as pretty JSON): the longest common
 * subsequence, as `diff` shows it, with the unchanged runs kept for a side-by-side view.
 */

export type DiffLine =
  | { kind: 'same'; left: string; right: string; leftNo: number; rightNo: number }
  | { kind: 'removed'; left: string; leftNo: number }
  | { kind: 'added'; right: string; rightNo: number };

/** The edit script from `a` to `b`, line by line. O(n·m) memory: task definitions are small. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  // Common prefix and suffix first: revisions differ in a few lines.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  // lcs[i][j]: the LCS length of a[start+i..endA) and b[start+j..endB).
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[start + i] === b[start + j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  for (let k = 0; k < start; k++) out.push({ kind: 'same', left: a[k]!, right: b[k]!, leftNo: k + 1, rightNo: k + 1 });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      out.push({ kind: 'same', left: a[start + i]!, right: b[start + j]!, leftNo: start + i + 1, rightNo: start + j + 1 });
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push({ kind: 'added', right: b[start + j]!, rightNo: start + j + 1 });
      j++;
    } else {
      out.push({ kind: 'removed', left: a[start + i]!, leftNo: start + i + 1 });
      i++;
    }
  }
  for (let k = 0; k < a.length - endA; k++) {
    out.push({ kind: 'same', left: a[endA + k]!, right: b[endB + k]!, leftNo: endA + k + 1, rightNo: endB + k + 1 });
  }
  return out;
}

/** Stable pretty JSON (keys sorted) so that two revisions line up field by field. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The task definition fields that differ between every revision (ARN, revision, dates) are left out. */
export function comparableTaskDefinition(td: Record<string, unknown>): Record<string, unknown> {
  const { taskDefinitionArn: _arn, revision: _rev, registeredAt: _reg, deregisteredAt: _dereg, registeredBy: _by, ...rest } = td;
  return rest;
}

/** Rows for a side-by-side view: a removed line and the added line after it share a row. */
export function sideBySide(lines: readonly DiffLine[]): { left?: { no: number; text: string; changed: boolean }; right?: { no: number; text: string; changed: boolean } }[] {
  const rows: ReturnType<typeof sideBySide> = [];
  let k = 0;
  while (k < lines.length) {
    const line = lines[k]!;
    if (line.kind === 'same') {
      rows.push({ left: { no: line.leftNo, text: line.left, changed: false }, right: { no: line.rightNo, text: line.right, changed: false } });
      k++;
      continue;
    }
    const removed: Extract<DiffLine, { kind: 'removed' }>[] = [];
    const added: Extract<DiffLine, { kind: 'added' }>[] = [];
    while (k < lines.length && lines[k]!.kind !== 'same') {
      const l = lines[k]!;
      if (l.kind === 'removed') removed.push(l);
      else if (l.kind === 'added') added.push(l);
      k++;
    }
    for (let r = 0; r < Math.max(removed.length, added.length); r++) {
      const L = removed[r];
      const R = added[r];
      rows.push({ ...(L && { left: { no: L.leftNo, text: L.left, changed: true } }), ...(R && { right: { no: R.rightNo, text: R.right, changed: true } }) });
    }
  }
  return rows;
}
