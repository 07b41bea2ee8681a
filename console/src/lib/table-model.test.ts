import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareValues, filterRows, formatSort, paginate, parseSort, sortRows, tableView, toggleSort, type Column } from './table-model.js';

interface Row {
  id: number;
  name: string;
  cpu?: number;
}

const columns: Column<Row>[] = [
  { key: 'name', label: 'Name', value: (r) => r.name },
  { key: 'cpu', label: 'CPU', value: (r) => r.cpu },
];

const rows = fc.array(fc.record({ id: fc.nat(), name: fc.string({ maxLength: 6 }), cpu: fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined }) }), { maxLength: 60 });

describe('table model', () => {
  it('sorts numbers numerically and names naturally, missing values last either way', () => {
    const data: Row[] = [
      { id: 1, name: 'task-10', cpu: 10 },
      { id: 2, name: 'task-9', cpu: 9 },
      { id: 3, name: 'Task-1' },
    ];
    expect(sortRows(data, columns, { key: 'name', descending: false }).map((r) => r.id)).toEqual([3, 2, 1]);
    expect(sortRows(data, columns, { key: 'cpu', descending: false }).map((r) => r.id)).toEqual([2, 1, 3]);
    expect(sortRows(data, columns, { key: 'cpu', descending: true }).map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('sorting is a stable permutation in the asked order', () => {
    fc.assert(
      fc.property(rows, fc.boolean(), (data, descending) => {
        const sorted = sortRows(data, columns, { key: 'cpu', descending });
        expect([...sorted].sort((a, b) => a.id - b.id || a.name.localeCompare(b.name))).toEqual([...data].sort((a, b) => a.id - b.id || a.name.localeCompare(b.name)));
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1]!, sorted[i]!];
          if (a.cpu === undefined) expect(b.cpu).toBeUndefined();
          else if (b.cpu !== undefined) {
            const c = compareValues(a.cpu, b.cpu) * (descending ? -1 : 1);
            expect(c).toBeLessThanOrEqual(0);
            if (c === 0) expect(data.indexOf(a)).toBeLessThan(data.indexOf(b));
          }
        }
      }),
    );
  });

  it('pages cover every row exactly once, in order', () => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 25 }), (data, size) => {
        const first = paginate(data, 1, size);
        const all = Array.from({ length: first.pages }, (_, i) => paginate(data, i + 1, size).rows).flat();
        expect(all).toEqual(data);
        expect(first.total).toBe(data.length);
      }),
    );
  });

  it('clamps the page to the pages there are', () => {
    const data = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `t${i}` }));
    expect(paginate(data, 99, 50)).toMatchObject({ page: 20, pages: 20, from: 951, to: 1000 });
    expect(paginate(data, Number.NaN, 50)).toMatchObject({ page: 1, from: 1, to: 50 });
    expect(paginate([], 3, 50)).toMatchObject({ page: 1, pages: 1, from: 0, to: 0, rows: [] });
  });

  it('filters on every word, case-insensitively, across columns', () => {
    const data: Row[] = [
      { id: 1, name: 'web-API', cpu: 256 },
      { id: 2, name: 'worker', cpu: 512 },
    ];
    expect(filterRows(data, columns, 'api').map((r) => r.id)).toEqual([1]);
    expect(filterRows(data, columns, 'WEB 256').map((r) => r.id)).toEqual([1]);
    expect(filterRows(data, columns, 'web 512')).toEqual([]);
    expect(filterRows(data, columns, '  ')).toEqual(data);
  });

  it('keeps the sort in the URL as name or -name, toggling direction on the same column', () => {
    expect(parseSort('-cpu')).toEqual({ key: 'cpu', descending: true });
    expect(formatSort(toggleSort(parseSort('cpu'), 'cpu'))).toBe('-cpu');
    expect(formatSort(toggleSort(parseSort('-cpu'), 'name'))).toBe('name');
    expect(parseSort('')).toBeUndefined();
  });

  it('renders one page of 1,000 rows quickly', () => {
    const data = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `task-${(i * 7919) % 1000}`, cpu: i % 7 }));
    const start = performance.now();
    const view = tableView(data, columns, { filter: 'task', sort: { key: 'name', descending: true }, page: 3, pageSize: 50 });
    expect(performance.now() - start).toBeLessThan(100);
    expect(view.rows).toHaveLength(50);
    expect(view.from).toBe(101);
  });
});
