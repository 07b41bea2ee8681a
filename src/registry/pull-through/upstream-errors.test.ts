import { describe, expect, it } from 'vitest';
import { upstreamStatusError } from './upstream-errors.js';

describe('upstream failures', () => {
  it('maps the upstream status to what the client of the cache is told', () => {
    const mapped = (status: number) => {
      const err = upstreamStatusError(status, 'library/x:1', 'http://up');
      return `${err.kind}/${err.subject}`;
    };
    expect(mapped(401)).toBe('AccessDenied/upstream-denied');
    expect(mapped(403)).toBe('AccessDenied/upstream-denied');
    expect(mapped(429)).toBe('LimitExceeded/upstream-throttled');
    expect(mapped(500)).toBe('Unavailable/upstream');
    expect(mapped(503)).toBe('Unavailable/upstream');
    expect(mapped(400)).toBe('Unavailable/upstream');
    expect(upstreamStatusError(503, 'library/x:1', 'http://up').message).toBe('The upstream registry http://up answered HTTP 503 for library/x:1.');
  });
});
