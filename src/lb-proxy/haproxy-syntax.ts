/**
 * The small pieces of HAProxy's configuration language the generator needs: quoted words, ELB's
 * wildcards as anchored regular expressions, and stable section/server names derived from ARNs.
 */
import { createHash } from 'node:crypto';

/**
 * One configuration word in double quotes. Inside double quotes HAProxy still reads `\` escapes
 * and expands `${…}` environment variables, so `\`, `"` and `$` are escaped.
 */
export function quoted(word: string): string {
  if (/[\r\n\0]/.test(word)) throw new Error(`a configuration word cannot hold a line break: ${JSON.stringify(word)}`);
  return `"${word.replace(/[\\"$]/g, '\\$&')}"`;
}

/** A literal inside a log-format string (redirect locations): `%` is the format's escape. */
export function logFormatLiteral(text: string): string {
  return text.replace(/%/g, '%%');
}

/** ELB's wildcards (`*` any characters, `?` exactly one) as an anchored regular expression. */
export function wildcardRegex(pattern: string): string {
  let out = '^';
  for (const ch of pattern) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return `${out}$`;
}

/** A short stable digest of an ARN, so names stay valid identifiers and the same across applies. */
export function shortId(arn: string): string {
  return createHash('sha256').update(arn).digest('hex').slice(0, 12);
}

/** The backend that serves one target group. */
export function backendName(targetGroupArn: string): string {
  return `tg-${shortId(targetGroupArn)}`;
}

/** The frontend of one listener. */
export function frontendName(listenerArn: string): string {
  return `ln-${shortId(listenerArn)}`;
}

/** The server line's name of one target (`address:port` is what makes a target unique in a group). */
export function serverName(address: string, port: number): string {
  return `t-${address.replace(/[^0-9A-Za-z]/g, '_')}-${port}`;
}
