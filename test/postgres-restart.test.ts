import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  paginateFilterLogEvents,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, ECSClient, paginateListClusters } from '@aws-sdk/client-ecs';
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { paginateGetParametersByPath, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresMissing, startPostgresServer, type PostgresServer } from '../src/store/postgres-server.fixtures.js';
import { spawnMinato, type MinatoProcess } from './support/minato-process.js';
import { runWriteLoad, summarise, type WriteOutcome } from './support/write-load.js';

// `minato up --store postgres://…` (the compiled CLI: `npm run build` first) under a write load
// while its PostgreSQL server restarts: every write a caller saw acknowledged must be there
// afterwards, the process must stay up, and callers see only errors their SDK retries.
const missing = postgresMissing();
const credentials = { accessKeyId: 'AKIDRESTART', secretAccessKey: 'restart-secret' };
// The server trusts loopback, so any password is accepted: here it only has to stay out of the logs.
const DB_PASSWORD = 'pg-password-never-logged';
const WRITERS = 4;
const GROUP = '/restart';

describe.skipIf(missing !== undefined)(missing ?? 'minato up --store while PostgreSQL restarts', () => {
  let server: PostgresServer;
  let minato: MinatoProcess;
  let dataDir: string;
  let ssm: SSMClient;
  let ecs: ECSClient;
  let logs: CloudWatchLogsClient;
  const outcomes: WriteOutcome[] = [];

  beforeAll(async () => {
    server = await startPostgresServer();
    const url = new URL(await server.createDatabase());
    url.password = DB_PASSWORD;
    dataDir = mkdtempSync(join(tmpdir(), 'minato-pg-restart-'));
    minato = await spawnMinato(['--port', '0', '--data-dir', dataDir, '--store', url.toString()], {
      MINATO_ACCESS_KEY_ID: credentials.accessKeyId,
      MINATO_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    });
    // The SDK's standard retries, a few of them: the outage must fit in what a stock client rides out.
    const config = {
      endpoint: minato.endpoint,
      region: 'us-east-1',
      credentials,
      retryMode: 'standard',
      maxAttempts: 6,
      requestHandler: { requestTimeout: 20_000 },
    } as const;
    ssm = new SSMClient(config);
    ecs = new ECSClient(config);
    logs = new CloudWatchLogsClient(config);
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    for (let w = 0; w < WRITERS; w++) await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: `w${w}` }));
  }, 60_000);

  afterAll(async () => {
    ssm?.destroy();
    ecs?.destroy();
    logs?.destroy();
    await minato?.stop('SIGKILL');
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** One round: the load, and the restart `mode` in its middle. */
  async function round(mode: 'fast' | 'immediate') {
    const load = runWriteLoad({
      writers: WRITERS,
      maxWrites: 2000,
      maxMs: 7000,
      write: (w, n) => {
        const key = `${mode}-${w}-${n}`;
        switch (n % 3) {
          case 0:
            return { key, kind: 'ssm', send: () => ssm.send(new PutParameterCommand({ Name: `/restart/${key}`, Value: key, Type: 'String' })) };
          case 1:
            return { key, kind: 'ecs', send: () => ecs.send(new CreateClusterCommand({ clusterName: key })) };
          default:
            return {
              key,
              kind: 'logs',
              send: () => logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: `w${w}`, logEvents: [{ timestamp: Date.now(), message: key }] })),
            };
        }
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const restartedAt = performance.now();
    await server.restart(mode, () => new Promise((resolve) => setTimeout(resolve, 1000)));
    const restartMs = performance.now() - restartedAt;
    const done = await load;
    outcomes.push(...done);
    return { ...summarise(done), restartMs: Math.round(restartMs) };
  }

  async function stored() {
    const parameters = new Set<string>();
    for await (const page of paginateGetParametersByPath({ client: ssm }, { Path: '/restart', Recursive: true })) {
      for (const p of page.Parameters ?? []) if (p.Name === `/restart/${p.Value}`) parameters.add(p.Value!);
    }
    const clusters = new Set<string>();
    for await (const page of paginateListClusters({ client: ecs }, {})) {
      for (const arn of page.clusterArns ?? []) clusters.add(arn.slice(arn.indexOf(':cluster/') + ':cluster/'.length));
    }
    const events = new Set<string>();
    for await (const page of paginateFilterLogEvents({ client: logs }, { logGroupName: GROUP })) {
      for (const e of page.events ?? []) events.add(e.message!);
    }
    return { ssm: parameters, ecs: clusters, logs: events };
  }

  it.each(['fast', 'immediate'] as const)('loses no acknowledged write when PostgreSQL restarts (%s)', async (mode) => {
    const figures = await round(mode);
    process.stdout.write(`PostgreSQL ${mode} restart under load: ${JSON.stringify(figures)}\n`);
    expect(figures.acknowledged).toBeGreaterThan(0);
    // The restart did reach the callers: a write sent while the server was down waited for it.
    expect(figures.longestAckedMs).toBeGreaterThanOrEqual(900);
    expect(minato.child.exitCode).toBeNull();

    const found = await stored();
    const lost = outcomes.filter((o) => o.error === undefined && !found[o.kind as keyof typeof found].has(o.key));
    expect(lost.map((o) => `${o.kind} ${o.key}`)).toEqual([]);
    expect(figures.failures).toEqual([]);
  }, 60_000);

  it('answers a retryable server error in each protocol\'s shape while the server stays down, within the wait', async () => {
    // One attempt each: what the SDK would retry is what the front door answered.
    const once = { endpoint: minato.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
    const [ecs1, ssm1, logs1, iam1] = [new ECSClient(once), new SSMClient(once), new CloudWatchLogsClient(once), new IAMClient(once)];
    const answer = async (call: () => Promise<unknown>) => {
      const started = performance.now();
      const err = (await call().then(
        () => ({ name: 'acknowledged' }),
        (e: unknown) => e,
      )) as { name: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
      return { name: err.name, fault: err.$fault, status: err.$metadata?.httpStatusCode, ms: performance.now() - started };
    };
    const calls = () => [
      answer(() => ecs1.send(new CreateClusterCommand({ clusterName: 'down' }))),
      answer(() => ssm1.send(new PutParameterCommand({ Name: '/restart/down', Value: 'down', Type: 'String' }))),
      answer(() => logs1.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 'w0', logEvents: [{ timestamp: Date.now(), message: 'down' }] }))),
      answer(() => iam1.send(new CreateUserCommand({ UserName: 'down' }))),
    ];
    const expected = [
      { name: 'ServerException', fault: 'server', status: 500 },
      { name: 'InternalServerError', fault: 'server', status: 500 },
      { name: 'ServiceUnavailableException', fault: 'server', status: 500 },
      { name: 'ServiceFailureException', fault: 'server', status: 500 },
    ];
    try {
      await server.restart('fast', async () => {
        // The first callers wait out the store's outage wait (10 s), then fail; later ones fail at once.
        const waited = await Promise.all(calls());
        process.stdout.write(`answers while PostgreSQL is down: ${JSON.stringify(waited.map((a) => ({ ...a, ms: Math.round(a.ms) })))}\n`);
        expect(waited.map(({ ms: _, ...rest }) => rest)).toEqual(expected);
        for (const a of waited) expect(a.ms).toBeLessThan(15_000);
        const atOnce = await Promise.all(calls());
        expect(atOnce.map(({ ms: _, ...rest }) => rest)).toEqual(expected);
        for (const a of atOnce) expect(a.ms).toBeLessThan(2_000);
      });
      // Back: the same process serves again, without a restart of its own.
      expect((await answer(() => ecs1.send(new CreateClusterCommand({ clusterName: 'back' })))).name).toBe('acknowledged');
    } finally {
      for (const c of [ecs1, ssm1, logs1, iam1]) c.destroy();
    }
  }, 60_000);

  it('stays up, and never writes the database password to its log', async () => {
    expect(minato.child.exitCode).toBeNull();
    await ecs.send(new CreateClusterCommand({ clusterName: 'after' }));
    expect(minato.lines.join('\n')).not.toContain(DB_PASSWORD);
  });
});
