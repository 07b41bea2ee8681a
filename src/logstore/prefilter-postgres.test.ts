import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresMissing, startPostgresServer, type PostgresServer } from '../store/postgres-server.fixtures.js';
import { compileFilterPattern } from './filter/filter-pattern.js';
import type { Prefilter } from './filter/prefilter.js';
import { delimitedPattern, jsonPattern, message, termPattern } from './filter/patterns.fixtures.js';
import { prefilterPostgres } from './prefilter-postgres.js';

const missing = postgresMissing();

describe.skipIf(missing !== undefined)(missing ?? 'prefilters in PostgreSQL', () => {
  let server: PostgresServer;
  let client: pg.Client;
  beforeAll(async () => {
    server = await startPostgresServer();
    client = new pg.Client({ connectionString: await server.createDatabase() });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  /** Whether PostgreSQL lets `message` through the prefilter (stored as the log store stores it). */
  async function passes(prefilter: Prefilter, text: string): Promise<boolean> {
    const params: unknown[] = [Buffer.from(text, 'utf8')];
    const condition = prefilterPostgres(prefilter, params);
    const { rows } = await client.query<{ ok: boolean }>(`SELECT (${condition}) AS ok FROM (SELECT $1::bytea AS message) m`, params);
    return rows[0]!.ok;
  }

  it('never reject a message the pattern matches (JSON, terms, space-delimited)', async () => {
    let matched = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(jsonPattern, termPattern, delimitedPattern), fc.array(message, { maxLength: 8 }), async (pattern, messages) => {
        const compiled = compileFilterPattern(pattern);
        for (const m of messages) {
          if (!compiled.matches(m)) continue;
          matched++;
          expect(await passes(compiled.prefilter, m), `${pattern} on ${m}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    // The property only says something if generated patterns often match generated messages.
    expect(matched).toBeGreaterThan(100);
  });

  it('are exact for patterns of plain terms, case and all', async () => {
    await fc.assert(
      fc.asyncProperty(termPattern.filter((p) => !p.includes('%')), fc.array(message, { maxLength: 8 }), async (pattern, messages) => {
        const compiled = compileFilterPattern(pattern);
        for (const m of messages) expect(await passes(compiled.prefilter, m), `${pattern} on ${m}`).toBe(compiled.matches(m));
      }),
      { numRuns: 150 },
    );
    const error = compileFilterPattern('ERROR').prefilter;
    expect(await passes(error, 'an ERROR here')).toBe(true);
    expect(await passes(error, 'an error here')).toBe(false);
    expect(await passes(compileFilterPattern('"100%_ é"').prefilter, 'at 100%_ é!')).toBe(true);
    expect(await passes(compileFilterPattern('"100%_ é"').prefilter, 'at 100xx é!')).toBe(false);
  });
});
