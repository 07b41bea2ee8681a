import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLock } from '../../src/cli/data-dir-lock.js';
import { MINATO_BIN } from '../support/minato-process.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-agent-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const minato = (...args: string[]) => spawnSync(process.execPath, [MINATO_BIN, ...args], { encoding: 'utf8', timeout: 15_000, env: { ...process.env, MINATO_AGENT_TOKEN: '' } });

describe('minato agent-token and minato agent', () => {
  it('prints the join token, creating it 0600 once', () => {
    const first = minato('agent-token', '--data-dir', dir);
    expect(first.status).toBe(0);
    const token = first.stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(statSync(join(dir, 'agent-token')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'agent-token'), 'utf8').trim()).toBe(token);
    expect(minato('agent-token', '--data-dir', dir).stdout.trim()).toBe(token);
  });

  it('refuses to start without a token or with a bad attribute', () => {
    const noToken = minato('agent', '--join', 'http://127.0.0.1:1', '--data-dir', join(dir, 'a'));
    expect(noToken.status).toBe(1);
    expect(noToken.stderr).toMatch(/join token is required/);
    const badAttribute = minato('agent', '--join', 'http://127.0.0.1:1', '--token', 'x'.repeat(20), '--attribute', 'a b=c', '--data-dir', join(dir, 'b'));
    expect(badAttribute.status).toBe(1);
    expect(badAttribute.stderr).toMatch(/invalid attribute name/);
  });

  it('refuses a data dir another process holds, naming it, before joining', () => {
    const held = mkdtempSync(join(dir, 'held-'));
    const lock = DataDirLock.acquire(held, 'up');
    try {
      const agent = minato('agent', '--join', 'http://127.0.0.1:1', '--token', 'x'.repeat(20), '--data-dir', held);
      expect(agent.status).toBe(1);
      expect(agent.stderr).toContain(`is in use by minato up (pid ${process.pid}`);
    } finally {
      lock.release();
    }
  });
});
