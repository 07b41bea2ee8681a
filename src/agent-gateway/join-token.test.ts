import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_TOKEN_FILE, bearerToken, loadOrCreateAgentToken, tokenMatches } from './join-token.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('join token', () => {
  it('is created once, 0600, and read back unchanged', () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-token-'));
    const first = loadOrCreateAgentToken(dir);
    expect(first.length).toBeGreaterThanOrEqual(40);
    expect(statSync(join(dir, AGENT_TOKEN_FILE)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateAgentToken(dir)).toBe(first);
    expect(readFileSync(join(dir, AGENT_TOKEN_FILE), 'utf8').trim()).toBe(first);
  });

  it('refuses a token file others can read', () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-token-'));
    loadOrCreateAgentToken(dir);
    chmodSync(join(dir, AGENT_TOKEN_FILE), 0o644);
    expect(() => loadOrCreateAgentToken(dir!)).toThrow(/chmod 600/);
  });

  it('matches only the exact token, and parses bearer headers', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
    expect(bearerToken('Bearer xyz')).toBe('xyz');
    expect(bearerToken('Basic xyz')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
