import { useState } from 'preact/hooks';
import { allLogEvents, listLogStreams, type LogEvent, type LogStream } from '../aws/logs.js';
import { useQueryParam } from '../lib/navigation.js';
import { href } from '../lib/routes.js';
import { bytes } from '../lib/units.js';
import { Breadcrumbs } from '../ui/breadcrumbs.js';
import { useAws, useResource } from '../ui/hooks.js';
import { ErrorBox, Loading } from '../ui/status.js';
import { Table, type TableColumn } from '../ui/table.js';
import { Time } from '../ui/time.js';
import { EventLines, LiveTail } from './log-events.js';

const RANGES: Record<string, number> = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000, all: 0 };
const MAX_SHOWN = 2000;

/** A log group: its streams, a search with a filter pattern over a time range, live tail, download. */
export function LogGroupPage(props: { group: string }) {
  const aws = useAws();
  const [stream, setStream] = useQueryParam('stream');
  const [pattern, setPattern] = useQueryParam('filter');
  const [range, setRange] = useQueryParam('range', '1h');
  const [tail, setTail] = useQueryParam('tail');
  const [draft, setDraft] = useState(pattern);
  const streams = useResource(() => listLogStreams(aws, props.group), [aws, props.group], 10_000);
  const query = {
    logGroupName: props.group,
    ...(stream && { logStreamNames: [stream] }),
    ...(pattern && { filterPattern: pattern }),
  };
  const span = RANGES[range] ?? RANGES['1h']!;
  const search = useResource(
    () => (tail ? Promise.resolve(undefined) : allLogEvents(aws, { ...query, ...(span && { startTime: Date.now() - span }) }, MAX_SHOWN)),
    [aws, props.group, stream, pattern, range, tail],
  );
  const streamColumns: TableColumn<LogStream>[] = [
    {
      key: 'name',
      label: 'Stream',
      value: (s) => s.logStreamName,
      cell: (s) => (
        <button type="button" class="linkish" aria-pressed={s.logStreamName === stream} onClick={() => setStream(s.logStreamName === stream ? '' : s.logStreamName)}>
          {s.logStreamName}
        </button>
      ),
    },
    { key: 'last', label: 'Last event', value: (s) => s.lastEventTimestamp, cell: (s) => <Time date={s.lastEventTimestamp ? new Date(s.lastEventTimestamp) : undefined} /> },
    { key: 'stored', label: 'Stored', value: (s) => s.storedBytes, cell: (s) => bytes(s.storedBytes), numeric: true },
  ];
  return (
    <section>
      <Breadcrumbs steps={[{ label: 'Log groups', href: href({ page: 'log-groups' }) }, { label: props.group }]} />
      <h1>{props.group}</h1>
      <form
        class="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setPattern(draft.trim());
        }}
      >
        <label>
          <span class="visually-hidden">Filter pattern</span>
          <input type="search" name="filter" size={40} placeholder='Filter pattern, e.g. ERROR or { $.code = 500 }' value={draft} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Search</button>
        <label>
          <span class="visually-hidden">Time range</span>
          <select value={range} onChange={(e) => setRange((e.target as HTMLSelectElement).value)} disabled={Boolean(tail)}>
            {Object.keys(RANGES).map((r) => (
              <option key={r} value={r}>
                {r === 'all' ? 'all time' : `last ${r}`}
              </option>
            ))}
          </select>
        </label>
        <button type="button" aria-pressed={Boolean(tail)} onClick={() => setTail(tail ? '' : '1')}>
          {tail ? 'Stop live tail' : 'Live tail'}
        </button>
        {stream && (
          <span class="small">
            stream <code>{stream}</code>{' '}
            <button type="button" onClick={() => setStream('')}>
              all streams
            </button>
          </span>
        )}
      </form>
      {tail ? (
        <LiveTail key={`${stream}|${pattern}`} query={query} />
      ) : (
        <>
          <ErrorBox error={search.error} />
          <Loading when={!search.data && search.loading}>
            <EventLines events={search.data?.events ?? ([] as LogEvent[])} truncated={search.data?.truncated ?? false} fileName={props.group} showStream={!stream} />
          </Loading>
        </>
      )}
      <h2>Streams</h2>
      <ErrorBox error={streams.error} />
      <Loading when={!streams.data && streams.loading}>
        <Table id="streams" label="Log streams" rows={streams.data ?? []} columns={streamColumns} rowKey={(s) => s.logStreamName} defaultSort="-last" empty="No streams." />
      </Loading>
    </section>
  );
}
