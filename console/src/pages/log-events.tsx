import { useEffect, useRef, useState } from 'preact/hooks';
import { filterLogEvents, type FilterQuery, type LogEvent } from '../aws/logs.js';
import { eventsAsText, mergeTail, startTail, type TailState } from '../lib/log-tail.js';
import { useAws } from '../ui/hooks.js';
import { ErrorBox } from '../ui/status.js';
import { Time } from '../ui/time.js';

/** How often live tail polls: a line a task prints shows within about a second. */
export const TAIL_POLL_MS = 750;
/** Live tail starts with the last minutes already written. */
const TAIL_BACKLOG_MS = 5 * 60_000;

/** Events as lines, with a download of exactly what is shown. */
export function EventLines(props: { events: readonly LogEvent[]; truncated: boolean; fileName: string; showStream: boolean; live?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.live && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [props.events.length, props.live]);
  const download = () => {
    const url = URL.createObjectURL(new Blob([eventsAsText(props.events)], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${props.fileName.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+/, '')}.log`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <>
      <div class="toolbar">
        <span class="muted small" data-testid="event-count">
          {props.events.length} events{props.truncated ? ` (the first ${props.events.length}; narrow the search)` : ''}
        </span>
        <button type="button" onClick={download} disabled={props.events.length === 0}>
          Download
        </button>
      </div>
      <div class="log-lines mono" ref={box} role="log" aria-live={props.live ? 'polite' : 'off'} aria-label="Log events" data-testid="log-lines">
        {props.events.length === 0 && <div class="muted">No events.</div>}
        {props.events.map((e, i) => (
          <div key={e.eventId ?? i}>
            <Time date={new Date(e.timestamp)} />
            {props.showStream && <span class="muted">{e.logStreamName} </span>}
            {e.message}
          </div>
        ))}
      </div>
    </>
  );
}

/** Polls FilterLogEvents from the newest event seen, merging by event id (lib/log-tail.ts). */
export function LiveTail(props: { query: FilterQuery }) {
  const aws = useAws();
  const [state, setState] = useState<TailState>(() => startTail(Date.now() - TAIL_BACKLOG_MS));
  const [error, setError] = useState<Error | undefined>();
  const current = useRef(state);
  current.current = state;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        let token: string | undefined;
        let next = current.current;
        const since = next.since;
        do {
          const page = await filterLogEvents(aws, { ...props.query, startTime: since }, token);
          next = mergeTail(next, page.events);
          token = page.nextToken;
        } while (token && !stopped);
        if (!stopped) {
          current.current = next;
          setState(next);
          setError(undefined);
        }
      } catch (err) {
        if (!stopped) setError(err instanceof Error ? err : new Error(String(err)));
      }
      if (!stopped) timer = setTimeout(() => void poll(), TAIL_POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [aws]);
  return (
    <>
      <p class="small" aria-live="polite">
        Live tail: polling every {TAIL_POLL_MS} ms · last poll reached <Time date={new Date(state.since)} />
      </p>
      <ErrorBox error={error} />
      <EventLines events={state.events} truncated={false} fileName={`${props.query.logGroupName}-tail`} showStream={!props.query.logStreamNames} live />
    </>
  );
}
