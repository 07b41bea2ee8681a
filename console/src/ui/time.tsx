import { formatLocal, formatUtc, relative } from '../lib/time.js';

/** A time in the user's zone; hovering shows it in UTC. */
export function Time(props: { date: Date | undefined; relativeTo?: Date }) {
  if (!props.date) return <span class="muted">—</span>;
  const text = props.relativeTo ? relative(props.date, props.relativeTo) : formatLocal(props.date);
  return (
    <time dateTime={props.date.toISOString()} title={`${formatUtc(props.date)} (UTC)${props.relativeTo ? ` · ${formatLocal(props.date)} local` : ''}`}>
      {text}
    </time>
  );
}
