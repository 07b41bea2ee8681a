import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresLeaderLease, type LeaderLeaseOptions } from './postgres-leader.js';
import { postgresMissing, startPostgresServer, type PostgresServer } from './postgres-server.fixtures.js';

const missing = postgresMissing();

/** Polls `check` until it holds; returns how long that took (ms). */
async function waitFor(check: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

describe.skipIf(missing !== undefined)(missing ?? 'PostgresLeaderLease', () => {
  let server: PostgresServer;
  const leases: PostgresLeaderLease[] = [];
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterEach(async () => {
    await Promise.all(leases.splice(0).map((l) => l.stop({ release: false })));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const LEASE_MS = 600;
  const RENEW_MS = 100;
  const start = async (url: string, options: Partial<LeaderLeaseOptions> = {}) => {
    const lease = await PostgresLeaderLease.start({ connectionString: url, leaseMs: LEASE_MS, renewEveryMs: RENEW_MS, ...options });
    leases.push(lease);
    return lease;
  };

  it('lets one of two instances lead, and keeps it leading while it renews', async () => {
    const url = await server.createDatabase();
    const [a, b] = await Promise.all([start(url, { holder: 'a' }), start(url, { holder: 'b' })]);
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    const leader = a.isLeader() ? a : b;
    const other = leader === a ? b : a;
    expect(leader.token()).toBe(1);
    expect(other.token()).toBeUndefined();
    // Several lease times later, with renewals every 100 ms, nothing changed hands.
    await new Promise((r) => setTimeout(r, 3 * LEASE_MS));
    expect(leader.isLeader()).toBe(true);
    expect(other.isLeader()).toBe(false);
    expect(leader.token()).toBe(1);
  });

  it('hands over within the lease time when the leader stops renewing, with a greater token', async () => {
    const url = await server.createDatabase();
    const a = await start(url, { holder: 'a' });
    const b = await start(url, { holder: 'b' });
    expect(a.isLeader()).toBe(true);
    const before = a.token()!;
    // As if the process died: no renewal, no release.
    await a.stop({ release: false });
    expect(a.isLeader()).toBe(false);
    const took = await waitFor(() => b.isLeader(), 5 * LEASE_MS);
    // The lease runs out at most LEASE_MS after a's last renewal; b tries every RENEW_MS (plus slack for a busy machine).
    expect(took).toBeLessThanOrEqual(LEASE_MS + RENEW_MS + 400);
    expect(b.token()).toBeGreaterThan(before);
  });

  it('hands over at the next round when the leader releases the lease', async () => {
    const url = await server.createDatabase();
    const a = await start(url, { holder: 'a' });
    const b = await start(url, { holder: 'b' });
    await a.stop();
    const took = await waitFor(() => b.isLeader(), 5 * LEASE_MS);
    expect(took).toBeLessThan(LEASE_MS);
    expect(b.token()).toBe(2);
  });

  it('stops leading once the lease expired while a renewal hangs, and leads again when it goes through', async () => {
    const url = await server.createDatabase();
    const a = await start(url, { holder: 'a' });
    expect(a.isLeader()).toBe(true);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // A row lock makes the next renewal wait, as a stalled server or network would.
      await admin.query('BEGIN');
      await admin.query(`SELECT * FROM leader_leases WHERE name = 'minato' FOR UPDATE`);
      const lost = await waitFor(() => !a.isLeader(), 3 * LEASE_MS);
      // Not before the lease ran out since the last renewal went through.
      expect(lost).toBeGreaterThanOrEqual(LEASE_MS - RENEW_MS - 20);
      await admin.query('ROLLBACK');
      await waitFor(() => a.isLeader(), 3 * LEASE_MS);
    } finally {
      await admin.end();
    }
  });

  it('stops leading as soon as a renewal fails, and takes the lease again once it can', async () => {
    const url = await server.createDatabase();
    const errors: Error[] = [];
    const a = await start(url, { holder: 'a', onError: (err) => errors.push(err) });
    expect(a.isLeader()).toBe(true);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('ALTER TABLE leader_leases RENAME TO leader_leases_away');
      const lost = await waitFor(() => !a.isLeader(), LEASE_MS);
      // Lost at the first failed renewal; waiting for the lease to run out would take 500 to 600 ms.
      expect(lost).toBeLessThan(LEASE_MS - 2 * RENEW_MS);
      expect(errors.length).toBeGreaterThan(0);
      await admin.query('ALTER TABLE leader_leases_away RENAME TO leader_leases');
      await waitFor(() => a.isLeader(), 5 * LEASE_MS);
    } finally {
      await admin.end();
    }
  });

  it('keeps a single leader among instances contending at once', async () => {
    const url = await server.createDatabase();
    const all = await Promise.all(['a', 'b', 'c', 'd'].map((holder) => start(url, { holder })));
    for (let i = 0; i < 10; i++) {
      expect(all.filter((l) => l.isLeader())).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
