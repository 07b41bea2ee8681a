/**
 * The canonical request's parts, built as the AWS SDKs build them for non-S3 services
 * (`@smithy/signature-v4` with `uriEscapePath: true`): query, URI and headers in canonical form.
 */
import { invalid, malformedQuery } from './sigv4-errors.js';

/** Request headers as Node gives them, names in lower case. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** One query parameter, key and value already in canonical (RFC 3986, upper-case hex) encoding. */
export type QueryPair = [key: string, value: string];

/** Splits a raw query string into canonically encoded pairs, in order of appearance. */
export function parseQuery(raw: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  if (raw === '') return pairs;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([canonicalQueryElement(key), canonicalQueryElement(value)]);
  }
  return pairs;
}

/** The decoded first value of a query parameter (the X-Amz-* names need no encoding). */
export function queryValue(query: QueryPair[], name: string, anyCase = false): string | undefined {
  const pair = query.find(([k]) => (anyCase ? k.toLowerCase() : k) === name);
  if (pair === undefined) return undefined;
  try {
    return decodeURIComponent(pair[1]);
  } catch {
    return pair[1]; // percent-escapes that are not UTF-8: keep them, the value cannot match anything anyway
  }
}

/** Canonical query: pairs sorted by key then value, the signature itself left out (as the SDK does). */
export function canonicalQuery(query: QueryPair[]): string {
  if (query.length === 0) return '';
  return query
    .filter(([k]) => k.toLowerCase() !== 'x-amz-signature')
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const isUnreservedByte = (b: number): boolean =>
  (b >= 0x30 && b <= 0x39) || // 0-9
  (b >= 0x41 && b <= 0x5a) || // A-Z
  (b >= 0x61 && b <= 0x7a) || // a-z
  b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e; // - . _ ~

/**
 * Re-encodes a raw query key or value the way the signer encoded the decoded one: unreserved characters
 * literal, everything else %XX in upper case. Working on the escapes (not on decoded text) keeps bytes
 * that are not UTF-8 intact. A raw '+' is a space, as AWS reads query strings.
 */
function canonicalQueryElement(raw: string): string {
  if (UNRESERVED.test(raw)) return raw; // the usual case: nothing to do
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25 /* % */) {
      const hex = raw.slice(i + 1, i + 3);
      if (hex.length < 2) throw malformedQuery('Incomplete trailing escape % sequence');
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw malformedQuery(`Illegal hex character in escape % pattern: %${hex}`);
      const byte = parseInt(hex, 16);
      out += isUnreservedByte(byte) ? String.fromCharCode(byte) : `%${hex.toUpperCase()}`;
      i += 2;
    } else if (c === 0x2b /* + */) {
      out += '%20';
    } else if (isUnreservedByte(c)) {
      out += raw[i];
    } else {
      const cp = raw.codePointAt(i)!;
      if (cp > 0xffff) i++;
      out += escapeUri(String.fromCodePoint(cp));
    }
  }
  return out;
}

/** RFC 3986 encoding of a string, as the SDK's `escapeUri` (encodeURIComponent plus !'()*). */
function escapeUri(s: string): string {
  try {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    throw invalid(); // a lone surrogate cannot have been signed
  }
}

/**
 * Canonical URI for non-S3 services: dot-segments and empty segments removed, then every segment encoded
 * once more. The path on the wire is already encoded, so this is the SDK's "double encoding".
 */
export function canonicalUri(path: string): string {
  if (path === '/') return '/'; // JSON and Query protocols always post to '/'
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(escapeUri(segment));
  }
  const lead = path.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `${lead}${segments.join('/')}${trail}`;
}

/**
 * `name:value\n` for each signed header, in the order the client listed them. Values are trimmed and
 * runs of whitespace collapsed; repeated headers are joined with ','. A signed header the request lacks
 * gets no line (as in AWS), which then fails the signature.
 */
export function canonicalHeaders(names: string[], headers: RequestHeaders): string {
  let out = '';
  for (const name of names) {
    const value = headers[name];
    if (value === undefined) continue;
    out += `${name}:${Array.isArray(value) ? value.map(canonicalHeaderValue).join(',') : canonicalHeaderValue(value)}\n`;
  }
  return out;
}

const canonicalHeaderValue = (value: string): string =>
  value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');

export const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
