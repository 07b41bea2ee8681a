import { describe, expect, it } from 'vitest';
import { splitFields } from './delimited.js';
import { compileFilterPattern } from './filter-pattern.js';

// The guide's Apache access log lines.
const LINES = [
  '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
  '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
  '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /index.html HTTP/1.0" 404 435',
  '127.0.0.1 - frank [10/Oct/2000:13:50:36 -0700] "GET /index.html HTTP/1.0" 403 2435',
];

const matching = (pattern: string, messages: readonly string[] = LINES) => {
  const compiled = compileFilterPattern(pattern);
  return messages.map((m, i) => (compiled.matches(m) ? i : -1)).filter((i) => i >= 0);
};

describe('splitting fields', () => {
  it('splits at spaces and keeps quoted and bracketed text together, without its delimiters', () => {
    expect(splitFields(LINES[0]!)).toEqual([
      '127.0.0.1',
      '-',
      'frank',
      '10/Oct/2000:13:25:15 -0700',
      'GET /apache_pb.gif HTTP/1.0',
      '200',
      '1534',
    ]);
  });

  it('treats runs of spaces and tabs as one separator, and an unclosed quote as running to the end', () => {
    expect(splitFields('  a \t b   "c d')).toEqual(['a', 'b', 'c d']);
    expect(splitFields('')).toEqual([]);
  });
});

describe('space-delimited patterns', () => {
  it('matches events with exactly as many fields as named', () => {
    expect(matching('[ip, user, username, timestamp, request, status_code, bytes]')).toEqual([0, 1, 2, 3]);
    expect(matching('[ip, user, username, timestamp, request, status_code]')).toEqual([]);
  });

  it('lets ... stand for any number of fields', () => {
    expect(matching('[..., status_code, bytes]')).toEqual([0, 1, 2, 3]);
    expect(matching('[ip, user, ..., status_code, bytes]')).toEqual([0, 1, 2, 3]);
    expect(matching('[ip, user, ...]')).toEqual([0, 1, 2, 3]);
    expect(matching('[ip, ..., a, b, c, d, e, f, g]')).toEqual([]);
  });

  it('applies numeric conditions', () => {
    expect(matching('[ip, user, username, timestamp, request, status_code, bytes > 1000]')).toEqual([0, 1, 3]);
    expect(matching('[ip, user, username, timestamp, request, status_code = 200, bytes]')).toEqual([0]);
    expect(matching('[..., status_code != 200, bytes <= 2435]')).toEqual([2, 3]);
    expect(matching('[ip = 5, ...]')).toEqual([]);
  });

  it('applies string conditions with wildcards', () => {
    expect(matching('[ip, user, username, timestamp, request, status_code = 4*, bytes]')).toEqual([2, 3]);
    expect(matching('[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]')).toEqual([2, 3]);
    expect(matching('[ip, user, username = "frank", ...]')).toEqual([0, 1, 2, 3]);
    expect(matching('[ip, user, username != frank, ...]')).toEqual([]);
    expect(matching('[..., request=*.html*, status_code=4*,]')).toEqual([]);
  });

  it('joins conditions with && and ||, on the field itself or other named fields', () => {
    expect(matching('[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]')).toEqual([2]);
    const words = ['ERROR WARN', 'ERROR message', 'WARN message', 'INFO message'];
    expect(matching('[w1=ERROR, w2]', words)).toEqual([0, 1]);
    expect(matching('[w1=ERROR || w1=WARN, w2]', words)).toEqual([0, 1, 2]);
    expect(matching('[w1 = ERROR && w2 = WARN, w2]', words)).toEqual([0]);
    expect(matching('[w1, w2 = message && (w1 = INFO || w1 = WARN)]', words)).toEqual([2, 3]);
  });

  it('applies %regex% conditions to fields', () => {
    expect(matching('[..., status_code = %^5\\d\\d$%, bytes]')).toEqual([1]);
  });

  it('refuses malformed patterns', () => {
    for (const pattern of [
      '[ip, user',
      '[]',
      '[ip,, user]',
      '[ip, status_code = 4* && bytes > 1000]',
      '[ip > abc]',
      '[ip = ]',
      '[ip user]',
      '[ip, (user = a]',
    ]) {
      expect(() => compileFilterPattern(pattern), pattern).toThrow(/Invalid|must end with/);
    }
  });

  it('gives a prefilter from the literal text of = conditions', () => {
    expect(compileFilterPattern('[..., request = *html*, status_code = 4*, bytes > 10]').prefilter).toEqual({
      kind: 'and',
      parts: [
        { kind: 'contains', text: 'html' },
        { kind: 'contains', text: '4' },
      ],
    });
  });
});
