/** Tables' filtering, sorting and paging, pure (the 1,000-task service page pages through these). */

export type SortValue = string | number | undefined;

export interface Column<T> {
  readonly key: string;
  readonly label: string;
  /** The value sorted on; also what the text filter searches when `text` is absent. */
  readonly value: (row: T) => SortValue;
  /** Searchable text, when it differs from the value. */
  readonly text?: (row: T) => string;
}

export interface Sort {
  readonly key: string;
  readonly descending: boolean;
}

/** `name` or `-name` (descending), as kept in the URL. */
export function parseSort(raw: string): Sort | undefined {
  if (!raw) return undefined;
  return raw.startsWith('-') ? { key: raw.slice(1), descending: true } : { key: raw, descending: false };
}

export function formatSort(sort: Sort | undefined): string {
  return sort ? `${sort.descending ? '-' : ''}${sort.key}` : '';
}

/** Clicking a header: ascending first, then descending, then ascending again. */
export function toggleSort(current: Sort | undefined, key: string): Sort {
  return current?.key === key ? { key, descending: !current.descending } : { key, descending: false };
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Missing values last in either direction; numbers numerically, text in natural order. */
export function compareValues(a: SortValue, b: SortValue): number {
  if (a === undefined || a === '') return b === undefined || b === '' ? 0 : 1;
  if (b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** Rows whose columns contain every word of the filter (case-insensitive). */
export function filterRows<T>(rows: readonly T[], columns: readonly Column<T>[], filter: string): T[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const haystack = columns.map((c) => (c.text ? c.text(row) : String(c.value(row) ?? ''))).join('\u0000').toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/** A stable sort (equal rows keep their order). */
export function sortRows<T>(rows: readonly T[], columns: readonly Column<T>[], sort: Sort | undefined): T[] {
  const column = sort && columns.find((c) => c.key === sort.key);
  if (!column || !sort) return [...rows];
  const keyed = rows.map((row, i) => ({ row, i, v: column.value(row) }));
  keyed.sort((x, y) => {
    const missingX = x.v === undefined || x.v === '';
    const missingY = y.v === undefined || y.v === '';
    if (missingX !== missingY) return missingX ? 1 : -1;
    const c = compareValues(x.v, y.v);
    return (sort.descending ? -c : c) || x.i - y.i;
  });
  return keyed.map((k) => k.row);
}

export interface PageOf<T> {
  readonly rows: T[];
  /** 1-based, clamped to the pages there are. */
  readonly page: number;
  readonly pages: number;
  readonly total: number;
  /** 1-based index of the first row shown (0 when there are none). */
  readonly from: number;
  readonly to: number;
}

export function paginate<T>(rows: readonly T[], page: number, pageSize: number): PageOf<T> {
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const current = Math.min(Math.max(1, Number.isFinite(page) ? Math.floor(page) : 1), pages);
  const start = (current - 1) * pageSize;
  const slice = rows.slice(start, start + pageSize);
  return { rows: slice, page: current, pages, total: rows.length, from: slice.length ? start + 1 : 0, to: start + slice.length };
}

/** Filter, sort, page: what a table shows. */
export function tableView<T>(rows: readonly T[], columns: readonly Column<T>[], state: { filter: string; sort: Sort | undefined; page: number; pageSize: number }): PageOf<T> {
  return paginate(sortRows(filterRows(rows, columns, state.filter), columns, state.sort), state.page, state.pageSize);
}
