/**
 * Two `minato up --replica` processes share one PostgreSQL database and one blob dir; two agent
 * hosts run the tasks. The leader is killed with SIGKILL in the middle of a rolling deployment:
 * the other replica takes over within 10 s, the deployment completes with no task started twice,
 * and the surviving replica answers every API call throughout. A replica cut off from
 * PostgreSQL stops leading.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTasksCommand,
  UpdateServiceCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TOKEN_FILE } from '../../src/agent-gateway/join-token.js';
import { DEFAULT_CONFIG } from '../../src/cli/config.js';
import { startRelay, type TcpRelay } from '../../src/nodes/local/tcp-relay.js';
import { postgresMissing, startPostgresServer, type PostgresServer } from '../../src/store/postgres-server.fixtures.js';
import { agentContainers, createAgentHosts, type AgentHosts, type ControlPlane } from '../support/agent-hosts.js';
import { spawnMinato, type MinatoProcess } from '../support/minato-process.js';
import { allTasks, NETWORK, pushBusybox, registerEc2, sleeper, until } from '../cluster/hosts-fixture.js';

const missing = postgresMissing();
const CLUSTER = 'replicated';
const SERVICE = 'web';
const DESIRED = 4;
const credentials = { accessKeyId: 'AKIDREPLICAS', secretAccessKey: 'replica-secret' };
const LEADING = 'leading: the background work runs here';

/** A replica's pino lines as objects. */
const logOf = (p: MinatoProcess) => p.lines.flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as { msg: string; time: number }] : []));
const leads = (p: MinatoProcess) => logOf(p).some((l) => l.msg === LEADING);

describe.skipIf(missing !== undefined)(missing ?? 'replicas on PostgreSQL', () => {
  let server: PostgresServer;
  let url: string;
  let hosts: AgentHosts;
  let blobDir: string;
  const dataDirs: string[] = [];
  const replicas: MinatoProcess[] = [];
  const clients: Array<{ destroy(): void }> = [];

  const startReplica = (store: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'minato-replica-'));
    dataDirs.push(dataDir);
    const args = ['--replica', '--store', store, '--blob-dir', blobDir, '--data-dir', dataDir, '--host', hosts.gateway, '--port', '0'];
    return spawnMinato(args, { MINATO_ACCESS_KEY_ID: credentials.accessKeyId, MINATO_SECRET_ACCESS_KEY: credentials.secretAccessKey }).then((p) => (replicas.push(p), p));
  };
  const ecsOf = (p: MinatoProcess) => {
    // The SDK's standard retries: a call that meets the dying replica's successor mid-change is tried again.
    const client = new ECSClient({ endpoint: p.endpoint, region: 'us-east-1', credentials, maxAttempts: 3 });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startPostgresServer();
    url = await server.createDatabase();
    hosts = await createAgentHosts(2);
    blobDir = mkdtempSync(join(tmpdir(), 'minato-blobs-'));
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.destroy();
    // Tasks first, through a replica still serving, so that the agents stop their containers.
    const live = replicas.find((p) => p.child.exitCode === null && p.child.signalCode === null);
    if (live) {
      const ecs = new ECSClient({ endpoint: live.endpoint, region: 'us-east-1', credentials, maxAttempts: 3 });
      await ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: SERVICE, force: true })).catch(() => undefined);
      await until('the service tasks stopped', async () => ((await ecs.send(new ListTasksCommand({ cluster: CLUSTER }))).taskArns ?? []).length === 0, 60_000, 500).catch(() => undefined);
      ecs.destroy();
    }
    await hosts?.dispose();
    for (const p of replicas) await p.stop('SIGKILL');
    for (const dir of [...dataDirs, blobDir]) if (dir) rmSync(dir, { recursive: true, force: true });
    await server?.stop();
  }, 180_000);

  it('hands the leadership over within 10 s of a kill -9 during a rolling deployment, which completes with no task started twice', { timeout: 300_000 }, async () => {
    const a = await startReplica(url);
    await until('replica a leads', () => leads(a), 15_000, 100);
    const b = await startReplica(url);
    expect(leads(b)).toBe(false);

    // Agents are given both replicas; they join through a.
    const token = readFileSync(join(blobDir, 'keys', AGENT_TOKEN_FILE), 'utf8').trim();
    const ecsA = ecsOf(a);
    const ecsB = ecsOf(b);
    await ecsA.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const plane = { endpoint: a.endpoint, token, config: { ...DEFAULT_CONFIG, ...credentials } } as unknown as ControlPlane;
    await pushBusybox(plane);
    for (const host of hosts.hosts) await host.startAgent(plane, ['--cluster', CLUSTER, '--join', `${a.endpoint},${b.endpoint}`]);

    const image = `${DEFAULT_CONFIG.accountId}.dkr.ecr.us-east-1.amazonaws.com/hosts/busybox:1`;
    const rev1 = await registerEc2(ecsB, 'web', sleeper(image));
    await ecsB.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        taskDefinition: rev1.taskDefinitionArn,
        desiredCount: DESIRED,
        launchType: 'EC2',
        networkConfiguration: NETWORK,
        // One new task at a time: the rollout takes several steps, so the kill lands inside it.
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 125 },
      }),
    );
    const running = async (client: ECSClient) => (await allTasks(client, CLUSTER, SERVICE)).filter((t) => t.lastStatus === 'RUNNING');
    await until('the first revision running', async () => (await running(ecsB)).length === DESIRED, 120_000, 500);

    // The surviving replica is called all along, reads and acknowledged writes, as a client would.
    const ssmB = new SSMClient({ endpoint: b.endpoint, region: 'us-east-1', credentials, maxAttempts: 3 });
    clients.push(ssmB);
    const acknowledged: string[] = [];
    const failures: unknown[] = [];
    let calls = 0;
    let loading = true;
    const load = (async () => {
      for (let i = 0; loading && i < 2_000; i++) {
        calls++;
        try {
          if (i % 2 === 0) await ecsB.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
          else {
            await ssmB.send(new PutParameterCommand({ Name: `/failover/p${i}`, Value: String(i), Type: 'String' }));
            acknowledged.push(`/failover/p${i}`);
          }
        } catch (err) {
          failures.push(err);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const rev2 = await registerEc2(ecsB, 'web', sleeper(image, { environment: [{ name: 'REVISION', value: '2' }] }));
    await ecsB.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: rev2.taskDefinitionArn }));
    const ofRev2 = (tasks: Task[]) => tasks.filter((t) => t.taskDefinitionArn === rev2.taskDefinitionArn);
    await until('the first task of the new revision running', async () => ofRev2(await running(ecsB)).length >= 1, 60_000, 200);
    const midway = await allTasks(ecsB, CLUSTER, SERVICE);
    expect(ofRev2(midway).filter((t) => t.lastStatus === 'RUNNING').length).toBeLessThan(DESIRED);

    const killedAt = Date.now();
    await a.stop('SIGKILL');
    await until('replica b leads', () => leads(b), 15_000, 50);
    const tookOver = logOf(b).find((l) => l.msg === LEADING)!.time;
    const failoverMs = tookOver - killedAt;
    expect(failoverMs, `replica b led ${failoverMs} ms after the leader was killed`).toBeLessThanOrEqual(10_000);

    // The deployment completes under the new leader.
    const done = await until(
      'the rolling deployment completed',
      async () => {
        const service = (await ecsB.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0]!;
        const primary = service.deployments?.length === 1 && service.deployments[0]!.rolloutState === 'COMPLETED';
        const live = await running(ecsB);
        return primary && live.length === DESIRED && ofRev2(live).length === DESIRED && live;
      },
      180_000,
      500,
    );
    loading = false;
    await load;

    // No task started twice: exactly DESIRED tasks of the new revision were ever made, each
    // RUNNING once on one host, and the hosts run exactly those containers.
    const everything = await allTasks(ecsB, CLUSTER, SERVICE);
    expect(ofRev2(everything).map((t) => t.taskArn).sort()).toEqual(done.map((t) => t.taskArn).sort());
    const containers = hosts.hosts.flatMap((h) => agentContainers(h).filter((c) => c.status === 'running'));
    expect(containers).toHaveLength(DESIRED);
    // The surviving replica answered throughout, and what it acknowledged is there.
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(10);
    for (const name of acknowledged) expect((await ssmB.send(new GetParameterCommand({ Name: name }))).Parameter?.Name).toBe(name);
  });

  it('stops leading when cut off from PostgreSQL, and another replica takes over', { timeout: 120_000 }, async () => {
    const leader = replicas.find((p) => p.child.exitCode === null && p.child.signalCode === null)!;
    expect(leads(leader)).toBe(true);
    const pg = new URL(url);
    let relay: TcpRelay | undefined = await startRelay('127.0.0.1', 0, () => ({ host: pg.hostname, port: Number(pg.port) }));
    try {
      const viaRelay = new URL(url);
      viaRelay.port = String(relay.port);
      // A third replica reaching PostgreSQL through a relay; it leads once the current leader stops.
      const cut = await startReplica(viaRelay.toString());
      await leader.stop('SIGTERM');
      await until('the relayed replica leads', () => leads(cut), 15_000, 50);
      const other = await startReplica(url);
      expect(leads(other)).toBe(false);
      await relay.close();
      relay = undefined;
      const cutAt = Date.now();
      await until('the cut-off replica stops leading', () => logOf(cut).some((l) => l.msg === 'no longer leading: the background work stops here'), 15_000, 50);
      const stoppedAt = logOf(cut).find((l) => l.msg === 'no longer leading: the background work stops here')!.time;
      await until('the other replica leads', () => leads(other), 15_000, 50);
      const otherAt = logOf(other).find((l) => l.msg === LEADING)!.time;
      // It gave up before the lease (5 s) ran out on the server, so the two never led at once.
      expect(stoppedAt - cutAt).toBeLessThan(5_000);
      expect(otherAt).toBeGreaterThan(stoppedAt);
    } finally {
      await relay?.close();
    }
  });
});
