/** Times in the user's zone, with the UTC instant for a hover title. */

/** Wire timestamps are epoch seconds (JSON protocols) or milliseconds (Logs); both become a Date. */
export function fromEpochSeconds(seconds: number | undefined): Date | undefined {
  return seconds === undefined ? undefined : new Date(seconds * 1000);
}

/** `2026-12-06 21:35:43` in the given zone (the browser's by default). */
export function formatLocal(date: Date, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** `2026-12-06T21:35:43Z`: the hover title. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** `5s ago`, `3m ago`, `2h ago`, `4d ago` (future times: `in 5s`). */
export function relative(date: Date, now: Date): string {
  const diff = Math.round((now.getTime() - date.getTime()) / 1000);
  const abs = Math.abs(diff);
  const text = abs < 60 ? `${abs}s` : abs < 3600 ? `${Math.floor(abs / 60)}m` : abs < 86_400 ? `${Math.floor(abs / 3600)}h` : `${Math.floor(abs / 86_400)}d`;
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

/** `1h 2m 3s` for a duration in milliseconds. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [h ? `${h}h` : '', m ? `${m}m` : '', `${s % 60}s`].filter(Boolean);
  return parts.slice(0, 2).join(' ');
}
