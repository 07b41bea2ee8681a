import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { chunkFraming, requestedRange } from './request-io.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('requestedRange', () => {
  it('resolves single byte ranges against the size', () => {
    expect(requestedRange(undefined, 10)).toBeUndefined();
    expect(requestedRange('bytes=0-4', 10)).toEqual({ start: 0, end: 4 });
    expect(requestedRange('bytes=5-', 10)).toEqual({ start: 5, end: 9 });
    expect(requestedRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(requestedRange('bytes=-30', 10)).toEqual({ start: 0, end: 9 });
    expect(requestedRange('bytes=8-100', 10)).toEqual({ start: 8, end: 9 });
  });

  it('answers ranges it does not serve in full, and refuses unsatisfiable ones', () => {
    expect(requestedRange('bytes=0-1,4-5', 10)).toBeUndefined();
    expect(requestedRange('items=0-1', 10)).toBeUndefined();
    expect(requestedRange('bytes=5-2', 10)).toBeUndefined();
    expect(() => requestedRange('bytes=10-', 10)).toThrow(/not satisfiable/);
    expect(() => requestedRange('bytes=-0', 10)).toThrow(/not satisfiable/);
  });
});

describe('chunkFraming', () => {
  it('reads Content-Range in the forms clients send', () => {
    expect(chunkFraming(req({}))).toEqual({});
    expect(chunkFraming(req({ 'content-length': '5' }))).toEqual({ length: 5 });
    expect(chunkFraming(req({ 'content-range': '0-4', 'content-length': '5' }))).toEqual({ range: { start: 0, end: 4 }, length: 5 });
    expect(chunkFraming(req({ 'content-range': 'bytes 10-19/*' }))).toEqual({ range: { start: 10, end: 19 } });
  });

  it('refuses malformed framing', () => {
    expect(() => chunkFraming(req({ 'content-range': '5-4' }))).toThrow(/end before start/);
    expect(() => chunkFraming(req({ 'content-range': 'abc' }))).toThrow(/invalid Content-Range/);
    expect(() => chunkFraming(req({ 'content-length': '-1' }))).toThrow(/invalid Content-Length/);
  });
});
