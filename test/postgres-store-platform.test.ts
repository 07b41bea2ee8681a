import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, DescribeClustersCommand, ListClustersCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresMissing, startPostgresServer, type PostgresServer } from '../src/store/postgres-server.fixtures.js';
import { DEFAULT_NETWORK } from './support/default-vpc.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

const logsOf = (p: TestPlatform) =>
  new CloudWatchLogsClient({
    endpoint: p.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: p.config.accessKeyId, secretAccessKey: p.config.secretAccessKey },
    maxAttempts: 1,
  });

// Two platforms on one PostgreSQL database see each other's writes through the ECS API.
const missing = postgresMissing();

describe.skipIf(missing !== undefined)(missing ?? 'minato up --store postgres://', () => {
  let server: PostgresServer;
  const platforms: TestPlatform[] = [];
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(async () => {
    for (const p of platforms) await p.dispose();
    await server?.stop();
  });

  it('keeps the documents on the server, shared by two platforms and kept across restarts', async () => {
    const url = await server.createDatabase();
    const a = await startTestPlatform({ store: url });
    platforms.push(a);
    const b = await startTestPlatform({ store: url, replica: true });
    platforms.push(b);
    await a.ecs().send(new CreateClusterCommand({ clusterName: 'shared' }));
    const seen = await b.ecs().send(new DescribeClustersCommand({ clusters: ['shared'] }));
    expect(seen.clusters?.map((c) => [c.clusterName, c.status])).toEqual([['shared', 'ACTIVE']]);
    expect(existsSync(join(a.config.dataDir, 'minato.db'))).toBe(false);
    await platforms.shift()!.dispose();
    await platforms.shift()!.dispose();
    const c = await startTestPlatform({ store: url });
    platforms.push(c);
    const listed = await c.ecs().send(new ListClustersCommand({}));
    expect(listed.clusterArns?.some((arn) => arn.endsWith(':cluster/shared'))).toBe(true);
  });

  it('keeps CloudWatch Logs in the same database, shared by two platforms', async () => {
    const url = await server.createDatabase();
    const a = await startTestPlatform({ store: url });
    platforms.push(a);
    const b = await startTestPlatform({ store: url, replica: true });
    platforms.push(b);
    const [logsA, logsB] = [logsOf(a), logsOf(b)];
    try {
      await logsA.send(new CreateLogGroupCommand({ logGroupName: '/shared' }));
      await logsA.send(new CreateLogStreamCommand({ logGroupName: '/shared', logStreamName: 's' }));
      const now = Date.now();
      await logsA.send(
        new PutLogEventsCommand({
          logGroupName: '/shared',
          logStreamName: 's',
          logEvents: [
            { timestamp: now - 2, message: 'ERROR disk full' },
            { timestamp: now - 1, message: 'error lower case' },
            { timestamp: now, message: 'INFO ok' },
          ],
        }),
      );
      const found = await logsB.send(new FilterLogEventsCommand({ logGroupName: '/shared', filterPattern: 'ERROR' }));
      expect(found.events?.map((e) => e.message)).toEqual(['ERROR disk full']);
      expect(existsSync(join(b.config.dataDir, 'logs.db'))).toBe(false);
    } finally {
      logsA.destroy();
      logsB.destroy();
    }
  });

  it('refuses a second process that is not a replica, once the leader kept the lease past its wait', async () => {
    const url = await server.createDatabase();
    const lease = { leaseMs: 600, renewEveryMs: 100 };
    const a = await startTestPlatform({ store: url }, { lease });
    platforms.push(a);
    const started = Date.now();
    await expect(startTestPlatform({ store: url }, { lease })).rejects.toThrow('another minato process leads this PostgreSQL store: start every process that shares it with --replica');
    // It waited two lease times for a lease a killed predecessor might have left.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_200);
    // A replica joins, and runs no task itself: a Fargate task finds no capacity there.
    const b = await startTestPlatform({ store: url, replica: true }, { lease });
    platforms.push(b);
    await b.ecs().send(new CreateClusterCommand({ clusterName: 'replicated' }));
    expect((await a.ecs().send(new DescribeClustersCommand({ clusters: ['replicated'] }))).clusters?.[0]?.status).toBe('ACTIVE');
    const td = await b.ecs().send(
      new RegisterTaskDefinitionCommand({
        family: 'nowhere',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: 'busybox', essential: true }],
      }),
    );
    const run = await b.ecs().send(new RunTaskCommand({ cluster: 'replicated', taskDefinition: td.taskDefinition!.taskDefinitionArn!, launchType: 'FARGATE', networkConfiguration: DEFAULT_NETWORK }));
    expect(run.tasks).toEqual([]);
    expect(run.failures?.map((f) => f.reason)).toEqual(['RESOURCE:CPU']);
  });
});
