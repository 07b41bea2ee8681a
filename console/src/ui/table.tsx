import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { useQueryParam } from '../lib/navigation.js';
import { formatSort, parseSort, tableView, toggleSort, type Column } from '../lib/table-model.js';

/** A column: how to sort and search it, and how to show a cell. */
export interface TableColumn<T> extends Column<T> {
  readonly cell?: (row: T) => ComponentChildren;
  readonly numeric?: boolean;
}

interface Props<T> {
  /** Names this table's state in the URL (`<id>.q`, `<id>.sort`, `<id>.page`), so views are shareable. */
  id: string;
  label: string;
  rows: readonly T[];
  columns: readonly TableColumn<T>[];
  rowKey: (row: T) => string;
  pageSize?: number;
  defaultSort?: string;
  empty?: string;
}

/** A sortable, filterable, paged table; its filter, sort and page live in the URL. */
export function Table<T>(props: Props<T>) {
  const [filter, setFilter] = useQueryParam(`${props.id}.q`);
  const [sortRaw, setSort] = useQueryParam(`${props.id}.sort`, props.defaultSort ?? '');
  const [pageRaw, setPage] = useQueryParam(`${props.id}.page`, '1');
  const sort = parseSort(sortRaw);
  const pageSize = props.pageSize ?? 50;
  const view = useMemo(
    () => tableView(props.rows, props.columns, { filter, sort, page: Number(pageRaw), pageSize }),
    [props.rows, props.columns, filter, sortRaw, pageRaw, pageSize],
  );
  return (
    <div class="table-wrap">
      <div class="table-tools">
        <input
          type="search"
          placeholder="Filter"
          aria-label={`Filter ${props.label}`}
          value={filter}
          onInput={(e) => {
            setFilter((e.target as HTMLInputElement).value);
          }}
        />
        <span class="muted" data-testid={`${props.id}-count`}>
          {view.total === 0 ? 'none' : `${view.from}–${view.to} of ${view.total}`}
        </span>
        {view.pages > 1 && (
          <span class="pager">
            <button type="button" disabled={view.page <= 1} onClick={() => setPage(String(view.page - 1))} aria-label="Previous page">
              ‹
            </button>
            <span>
              page {view.page} / {view.pages}
            </span>
            <button type="button" disabled={view.page >= view.pages} onClick={() => setPage(String(view.page + 1))} aria-label="Next page">
              ›
            </button>
          </span>
        )}
      </div>
      <table aria-label={props.label} data-testid={`${props.id}-table`}>
        <thead>
          <tr>
            {props.columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <th key={c.key} class={c.numeric ? 'num' : undefined} aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" class="sort" onClick={() => setSort(formatSort(toggleSort(sort, c.key)))}>
                    {c.label}
                    <span aria-hidden="true">{active ? (sort.descending ? ' ▾' : ' ▴') : ''}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {view.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <td key={c.key} class={c.numeric ? 'num' : undefined}>
                  {c.cell ? c.cell(row) : String(c.value(row) ?? '')}
                </td>
              ))}
            </tr>
          ))}
          {view.total === 0 && (
            <tr>
              <td colSpan={props.columns.length} class="muted">
                {props.empty ?? 'Nothing here.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
