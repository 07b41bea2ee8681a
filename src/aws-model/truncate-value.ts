/**
 * How many characters of a caller's value an error message quotes. AWS's messages quote the
 * offending value ("Value '…' at 'name' failed to satisfy constraint: …"); a value can be megabytes
 * long (an image manifest, a blob, a log message), and echoing it whole would make the error as
 * large as the request. 256 characters identify any name, ARN or tag, and a longer value is cut
 * there and marked with an ellipsis.
 */
export const QUOTED_VALUE_LIMIT = 256;

/** `text`, or its first {@link QUOTED_VALUE_LIMIT} characters and `...` when longer (never half a surrogate pair). */
export function truncateValue(text: string, limit: number = QUOTED_VALUE_LIMIT): string {
  if (text.length <= limit) return text;
  let end = limit;
  // Do not cut between the two halves of an astral character.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}...`;
}
