import { describe, expect, it } from 'vitest';
import { compileFilterPattern } from './filter-pattern.js';

const matching = (pattern: string, messages: readonly string[]) => {
  const compiled = compileFilterPattern(pattern);
  return messages.filter((m) => compiled.matches(m));
};

// The three events of the guide's OR example.
const GUIDE = ['ERROR WARN message', 'ERROR message', 'WARN message'];

describe('term patterns', () => {
  it('matches a term as a case-sensitive substring', () => {
    const messages = ['[ERROR] A fatal exception has occurred', 'Exiting with ERRORCODE: -1', 'error: lower case'];
    expect(matching('ERROR', messages)).toEqual(messages.slice(0, 2));
  });

  it('requires every term', () => {
    const messages = ['[ERROR] Caught IllegalArgumentException', '[ERROR] Unhandled Exception', '[ERROR] nothing else'];
    expect(matching('ERROR Exception', messages)).toEqual(messages.slice(0, 2));
  });

  it('matches a quoted phrase exactly, spaces included', () => {
    const messages = ['[WARN] Failed to process the request', 'Failed to, well, process the request'];
    expect(matching('"Failed to process"', messages)).toEqual(messages.slice(0, 1));
    expect(matching('Failed to process the request', messages)).toEqual(messages);
  });

  it('reads escaped quotes inside a phrase', () => {
    expect(matching('"say \\"hi\\""', ['they say "hi"', 'they say hi'])).toEqual(['they say "hi"']);
  });

  it('excludes terms with a minus sign, attached or standing alone', () => {
    expect(matching('ERROR -WARN', GUIDE)).toEqual(['ERROR message']);
    expect(matching('"ERROR" - "Exiting"', ['ERROR fatal', 'ERROR Exiting now'])).toEqual(['ERROR fatal']);
  });

  it('needs one of the ?terms', () => {
    expect(matching('?ERROR ?WARN', [...GUIDE, 'INFO message'])).toEqual(GUIDE);
    expect(matching('ERROR WARN', GUIDE)).toEqual(['ERROR WARN message']);
    expect(matching('ERROR', GUIDE)).toEqual(GUIDE.slice(0, 2));
  });

  it('combines required, optional and excluded terms', () => {
    const messages = ['GET /a 500', 'GET /a 404', 'POST /a 500', 'GET /health 500'];
    expect(matching('GET ?500 ?404 -health', messages)).toEqual(['GET /a 500', 'GET /a 404']);
  });

  it('matches %regex% terms anywhere in the message', () => {
    const messages = ['[ERROR 401] UNAUTHORIZED REQUEST', '[SUCCESS 200] AUTHORIZED REQUEST', 'nothing'];
    expect(matching('%AUTHORIZED%', messages)).toEqual(messages.slice(0, 2));
    expect(matching('%^\\[SUCCESS%', messages)).toEqual(['[SUCCESS 200] AUTHORIZED REQUEST']);
    expect(matching('%[Ee]rror|[Ff]ail%', ['an Error', 'will fail', 'ok'])).toEqual(['an Error', 'will fail']);
    expect(matching('-%\\d{3}%', ['code 404', 'no code'])).toEqual(['no code']);
  });

  it('matches every event for an empty pattern or ""', () => {
    expect(matching('', GUIDE)).toEqual(GUIDE);
    expect(matching('   ', GUIDE)).toEqual(GUIDE);
    expect(matching('""', GUIDE)).toEqual(GUIDE);
  });

  it('refuses unquoted terms with characters that need quotes', () => {
    for (const pattern of ['user@example.com', 'a=b', 'f(x)', 'ERROR!']) {
      expect(() => compileFilterPattern(pattern), pattern).toThrow(`Invalid character(s) in term '${pattern}'`);
    }
    expect(compileFilterPattern('"user@example.com"').matches('from user@example.com')).toBe(true);
  });

  it('refuses malformed patterns', () => {
    for (const pattern of ['"unterminated', 'ERROR -', '?', '%(group)%', '%a!%', '%%', '%open']) {
      expect(() => compileFilterPattern(pattern), pattern).toThrow(/Invalid/);
    }
  });

  it('gives a prefilter that names the required and excluded text', () => {
    expect(compileFilterPattern('ERROR -WARN').prefilter).toEqual({
      kind: 'and',
      parts: [
        { kind: 'contains', text: 'ERROR' },
        { kind: 'lacks', text: 'WARN' },
      ],
    });
    expect(compileFilterPattern('?a ?b').prefilter).toEqual({
      kind: 'or',
      parts: [
        { kind: 'contains', text: 'a' },
        { kind: 'contains', text: 'b' },
      ],
    });
    expect(compileFilterPattern('?a ?%b%').prefilter).toEqual({ kind: 'any' });
  });
});
