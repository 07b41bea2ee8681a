import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_TOKEN_FILE, bearerToken, INSTANCE_KEY_FILE, loadOrCreateAgentToken, tokenMatches } from './join-token.js';

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

  it('is shared by data dirs that name the same shared directory, the first data dir\'s token published', () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-token-'));
    const shared = join(dir, 'shared');
    const existing = loadOrCreateAgentToken(join(dir, 'a'));
    expect(loadOrCreateAgentToken(join(dir, 'a'), AGENT_TOKEN_FILE, shared)).toBe(existing);
    expect(loadOrCreateAgentToken(join(dir, 'b'), AGENT_TOKEN_FILE, shared)).toBe(existing);
    expect(statSync(join(shared, AGENT_TOKEN_FILE)).mode & 0o777).toBe(0o600);
    const instanceKey = loadOrCreateAgentToken(join(dir, 'b'), INSTANCE_KEY_FILE, shared);
    expect(instanceKey).not.toBe(existing);
    expect(loadOrCreateAgentToken(join(dir, 'a'), INSTANCE_KEY_FILE, shared)).toBe(instanceKey);
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
