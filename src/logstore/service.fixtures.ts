import type { Scope } from '../lib/scope.js';
import { LogService } from './log-service.js';
import { SqliteLogStore } from './sqlite-log-store.js';

/** A fixed "now" for domain tests: 2024-05-01T12:00:00Z. */
export const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

/** Milliseconds in an hour. */
export const HOUR = 3_600_000;
/** Milliseconds in a day. */
export const DAY = 24 * HOUR;

/** A request scope in us-east-1 at time `now`. */
export function scopeAt(now: number = NOW, region = 'us-east-1'): Scope {
  return { accountId: '000000000000', region, principalArn: 'arn:aws:iam::000000000000:root', now: new Date(now) };
}

/** A log service over an in-memory SQLite store, and the store itself. */
export function newService(): { logs: LogService; store: SqliteLogStore } {
  const store = new SqliteLogStore(':memory:');
  return { logs: new LogService(store), store };
}

/** The domain error a call throws or rejects with (fails when it does neither). */
export async function thrown(fn: () => unknown): Promise<{ kind: string; subject?: string; message: string }> {
  try {
    await fn();
  } catch (err) {
    return err as { kind: string; subject?: string; message: string };
  }
  throw new Error('expected the call to throw');
}
