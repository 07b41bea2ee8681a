import { describe, expect, it } from 'vitest';
import { parseChallenges } from './challenges.js';

describe('WWW-Authenticate challenges', () => {
  it('reads a Bearer challenge whose quoted scope holds commas', () => {
    expect(parseChallenges('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' } },
    ]);
  });

  it('reads several challenges, unquoted values and escaped quotes', () => {
    expect(parseChallenges('Basic realm="a \\"b\\"", Bearer realm=https://x/token, error="insufficient_scope"')).toEqual([
      { scheme: 'basic', params: { realm: 'a "b"' } },
      { scheme: 'bearer', params: { realm: 'https://x/token', error: 'insufficient_scope' } },
    ]);
  });

  it('reads a scheme without parameters and ignores garbage', () => {
    expect(parseChallenges('Negotiate')).toEqual([{ scheme: 'negotiate', params: {} }]);
    expect(parseChallenges('')).toEqual([]);
  });
});
