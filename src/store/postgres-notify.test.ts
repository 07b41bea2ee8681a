import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresNotices } from './postgres-notify.js';
import { postgresMissing, startPostgresServer, type PostgresServer } from './postgres-server.fixtures.js';

const missing = postgresMissing();

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(missing !== undefined)(missing ?? 'PostgresNotices', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("hands a process the others' notices, not its own, and listens again after its connection is cut", async () => {
    const url = await server.createDatabase();
    const seen: Record<string, string[]> = { a: [], b: [] };
    const open = (who: 'a' | 'b') =>
      PostgresNotices.start({ connectionString: url, channels: ['one', 'two'], onNotice: (channel, payload) => seen[who]!.push(`${channel}:${payload}`), reconnectMs: 50 });
    const a = await open('a');
    const b = await open('b');
    try {
      await a.notify('one', 'arn:aws:ecs:us-east-1:1:container-instance/c/x y');
      await b.notify('two');
      await until(() => seen.a!.length === 1 && seen.b!.length === 1);
      expect(seen.b).toEqual(['one:arn:aws:ecs:us-east-1:1:container-instance/c/x y']);
      expect(seen.a).toEqual(['two:']);

      // The server ends b's listening connection (as a restart or a network cut would).
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'minato-listen' AND pid <> pg_backend_pid()");
        expect(rowCount).toBe(2);
      } finally {
        await admin.end();
      }
      // Sent until one arrives: notices sent while b reconnects are lost, as the contract says.
      await until(() => {
        void a.notify('one', 'again');
        return seen.b!.includes('one:again');
      });
      expect(seen.a).toEqual(['two:']);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
