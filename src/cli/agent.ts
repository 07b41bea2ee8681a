import { readFileSync } from 'node:fs';
import { arch, cpus, hostname, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { Attribute } from '@aws-sdk/client-ecs';
import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import { ImageStore } from '../agent/images/image-store.js';
import { LocalAgent } from '../agent/local-agent.js';
import { MetadataServer } from '../agent/metadata/metadata-server.js';
import { TaskEndpoints } from './task-credentials.js';
import { CniNetworkManager, DEFAULT_SANDBOX_POOL } from '../agent/network/cni-network-manager.js';
import { hostAddresses } from '../agent/network/host-address.js';
import { AgentStore } from '../agent/remote/agent-store.js';
import { ControlClient, ControlPlaneError } from '../agent/remote/control-client.js';
import { controlPlaneImages } from '../agent/remote/control-plane-images.js';
import { RemoteAgent } from '../agent/remote/remote-agent.js';
import { remoteLogSink } from '../agent/remote/remote-log-sink.js';
import { ReportQueue } from '../agent/remote/report-queue.js';
import { RuncRuntime } from '../agent/runtime/runc-runtime.js';
import { AGENT_TOKEN_FILE, loadOrCreateAgentToken } from '../agent-gateway/join-token.js';
import { sharedKeysDir } from '../lib/key-file.js';
import { DEFAULT_CONFIG } from './config.js';
import { preparePrivateDataDir } from './data-dir.js';
import { DataDirLock } from './data-dir-lock.js';
import { remoteTaskProtection } from '../agent/remote/remote-task-protection.js';
import { startUsageReporter } from '../agent/remote/usage-reporter.js';

/** Flag values of `minato agent` as commander hands them over. */
interface AgentFlags {
  join: string;
  token?: string;
  cluster: string;
  region: string;
  dataDir: string;
  host?: string;
  taskBridge: string;
  taskSubnet: string;
  attribute: string[];
  cpu?: string;
  memory?: string;
  metadataPort?: string;
  metricsInterval: string;
}

/** The agent's version, as it reports it: the package's. */
function agentVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** `--join`: one endpoint, or several replicas' comma-separated; each reduced to its origin. */
export function joinEndpoints(text: string): string[] {
  const endpoints = text.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
  if (endpoints.length === 0) throw new Error('--join needs an endpoint, e.g. http://10.0.0.1:4566');
  return [...new Set(endpoints.map((e) => new URL(e).origin))];
}

/** `k=v` → {name: k, value: v}; `k` alone → a valueless attribute. */
export function parseAttribute(text: string): Attribute {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  if (!/^[A-Za-z0-9_.\-/]{1,128}$/.test(name)) throw new Error(`invalid attribute name in "${text}"`);
  return eq < 0 ? { name } : { name, value: text.slice(eq + 1) };
}

/** The attributes ECS agents report about their host, then the operator's (which win). */
function attributesOf(flags: readonly string[]): Attribute[] {
  const own = new Map<string, Attribute>([
    ['ecs.os-type', { name: 'ecs.os-type', value: 'linux' }],
    ['ecs.cpu-architecture', { name: 'ecs.cpu-architecture', value: arch() === 'x64' ? 'x86_64' : arch() }],
  ]);
  for (const a of flags.map(parseAttribute)) own.set(a.name!, a);
  return [...own.values()];
}

const positiveInt = (text: string | undefined, what: string): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${what} must be a positive integer, got "${text}"`);
  return n;
};

/** `minato agent --join …` and `minato agent-token`. */
export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('run tasks on this host as a container instance of a minato cluster')
    .requiredOption('--join <endpoints>', 'the control plane endpoint, e.g. http://10.0.0.1:4566; several replicas comma-separated')
    .option('--token <token>', 'the join token (`minato agent-token` on the control host; env MINATO_AGENT_TOKEN)')
    .option('--cluster <name>', 'the cluster to join', 'default')
    .option('--region <region>', 'the region of the cluster', 'us-east-1')
    .option('--data-dir <dir>', 'where the agent keeps its state', '.minato-agent')
    .option('--host <address>', 'the address this host is known by (default: its host name)')
    .option('--task-bridge <name>', 'Linux bridge tasks attach to', 'minato1')
    .option('--task-subnet <cidr>', 'subnet task addresses come from', '10.215.0.0/16')
    .option('--attribute <k=v>', 'a container instance attribute (repeatable; `k` alone is valueless)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--cpu <units>', 'CPU units offered to tasks (default: 1024 per core)')
    .option('--memory <MiB>', 'memory offered to tasks (default: 90 % of the host\'s)')
    .option('--metadata-port <port>', 'port of the task metadata endpoint on the task bridge')
    .option('--metrics-interval <seconds>', 'how often the tasks\' use is measured and reported (AWS/ECS and Container Insights metrics)', '60')
    .action(async (flags: AgentFlags) => runAgent(flags));

  program
    .command('agent-token')
    .description('print the join token agents need (created on first use)')
    .option('--data-dir <dir>', 'the control plane\'s data dir (env MINATO_DATA_DIR)')
    .option('--blob-dir <dir>', 'the replicas\' shared directory, which then holds the token (env MINATO_BLOB_DIR)')
    .action((flags: { dataDir?: string; blobDir?: string }) => {
      const blobDir = flags.blobDir ?? (process.env.MINATO_BLOB_DIR || undefined);
      const dataDir = resolve(flags.dataDir ?? process.env.MINATO_DATA_DIR ?? DEFAULT_CONFIG.dataDir);
      process.stdout.write(`${loadOrCreateAgentToken(dataDir, AGENT_TOKEN_FILE, blobDir === undefined ? undefined : sharedKeysDir(resolve(blobDir)))}\n`);
    });
}

async function runAgent(flags: AgentFlags): Promise<void> {
  const token = flags.token ?? process.env.MINATO_AGENT_TOKEN;
  if (!token) throw new Error('a join token is required: --token or MINATO_AGENT_TOKEN');
  const endpoints = joinEndpoints(flags.join);
  // Flags are checked before anything is created.
  const attributes = attributesOf(flags.attribute);
  const dataDir = resolve(flags.dataDir);
  const capacity = {
    cpu: positiveInt(flags.cpu, '--cpu') ?? cpus().length * 1024,
    memory: positiveInt(flags.memory, '--memory') ?? Math.floor((totalmem() / (1024 * 1024)) * 0.9),
  };
  const logger = pino({ base: { service: 'minato-agent' } });
  // One agent per data dir: two would adopt and run the same tasks.
  preparePrivateDataDir(dataDir, (details, message) => logger.warn(details, message));
  const lock = DataDirLock.acquire(dataDir, 'agent');
  try {
    await serveAsAgent(flags, { token, endpoints, attributes, dataDir, capacity, logger });
  } finally {
    lock.release();
  }
}

/** What runAgent settled before the agent starts. */
interface AgentSetup {
  token: string;
  /** The control plane's endpoints (several replicas, or one). */
  endpoints: string[];
  attributes: Attribute[];
  dataDir: string;
  capacity: { cpu: number; memory: number };
  logger: Logger;
}

async function serveAsAgent(flags: AgentFlags, { token, endpoints, attributes, dataDir, capacity, logger }: AgentSetup): Promise<void> {
  const stopRequested = new Promise<NodeJS.Signals>((done) => {
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
  const metricsIntervalMs = positiveInt(flags.metricsInterval, '--metrics-interval')! * 1000;
  const client = new ControlClient(endpoints, token);
  const queue = new ReportQueue({ onError: (err) => logger.warn({ err: String(err) }, 'sending reports failed; retrying') });
  const runtime = new RuncRuntime(join(dataDir, 'runtime'));
  // As an EC2 instance in a VPC: host ports answer on the host's private address, and the control
  // host (its load balancers and health checks) may reach task addresses routed through this one.
  const addresses = await hostAddresses(endpoints, flags.host);
  const networks = new CniNetworkManager({
    stateDir: join(dataDir, 'network'),
    bridge: flags.taskBridge,
    subnet: flags.taskSubnet,
    sandboxPool: DEFAULT_SANDBOX_POOL,
    publishAddress: addresses.own,
    admitFrom: addresses.control,
  });
  // Tasks reach the metadata endpoint's port on their gateway, and no other service of the host.
  // Tasks' AWS_ENDPOINT_URL: the control plane's endpoint the agent talks to when the task starts,
  // relayed on the gateway when it is on loopback.
  const taskEndpoints = new TaskEndpoints(
    async () => {
      const url = new URL(client.endpoint);
      return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
    },
    (port) => networks.allowGatewayTcpPort(port),
    join(dataDir, 'task-endpoint-port'),
  );
  // The agent exists once the runner does; the runner reports and pulls through it.
  const ref: { agent?: RemoteAgent } = {};
  const joined = () => {
    const arn = ref.agent?.containerInstanceArn;
    if (!arn) throw new Error('the agent has not joined the cluster yet');
    return arn;
  };
  // Its agent endpoint sets task protection through the control plane (the protocol carries it).
  // It is the credentials endpoint too: 169.254.170.2:80 is redirected to its port.
  const metadata = new MetadataServer(positiveInt(flags.metadataPort, '--metadata-port'), (_gateway, port) => networks.serveCredentialsAt(port), remoteTaskProtection(client, joined));
  const runner = new LocalAgent({
    runtime,
    networks,
    images: controlPlaneImages(new ImageStore(join(dataDir, 'images')), {
      endpoints,
      current: () => client.endpoint,
      accountId: () => ref.agent?.accountId(),
      auth: (region) => ref.agent?.registryAuth(region),
    }),
    logs: remoteLogSink(client, joined),
    metadata,
    secrets: async (valueFrom, region) => {
      try {
        return await client.secret({ containerInstanceArn: joined(), valueFrom, region });
      } catch (err) {
        if (err instanceof ControlPlaneError) throw new Error(err.message);
        throw new Error(`ResourceInitializationError: unable to pull secrets or registry auth: the control plane could not be reached: ${(err as Error).message}`);
      }
    },
    // Roles are assumed by the control plane, for the tasks placed on this instance only.
    credentials: async ({ taskArn, roleArn }) => {
      try {
        return await client.credentials({ containerInstanceArn: joined(), taskArn, roleArn });
      } catch (err) {
        throw new Error(err instanceof ControlPlaneError ? err.message : `the control plane could not be reached: ${(err as Error).message}`);
      }
    },
    taskEndpoint: (gateway) => taskEndpoints.urlFor(gateway),
    report: (arn, change) => ref.agent!.report(arn, change),
    tasksDir: join(dataDir, 'tasks'),
    archiveDir: join(dataDir, 'archive'),
    log: logger,
    capacity,
  });
  const agent = new RemoteAgent({
    client,
    store: new AgentStore(dataDir),
    runner,
    queue,
    registration: {
      cluster: flags.cluster,
      region: flags.region,
      host: flags.host ?? hostname(),
      address: addresses.own,
      taskSubnet: flags.taskSubnet,
      agentVersion: agentVersion(),
      attributes,
      cpu: capacity.cpu,
      memory: capacity.memory,
    },
    log: logger,
  });
  ref.agent = agent;
  await agent.start();
  const stopUsage = startUsageReporter({
    client,
    instanceArn: joined,
    tasks: () => runner.tasks(),
    runtime,
    logs: remoteLogSink(client, joined),
    intervalMs: metricsIntervalMs,
    onError: (err) => logger.warn({ err: String(err) }, 'reporting the tasks\' use failed'),
  });
  // After the agent took its tasks back: sandboxes a crash left in the pool belong to no task then.
  void networks.startPool((err) => logger.warn({ err }, 'the task network sandbox pool could not be filled')).catch((err: unknown) =>
    logger.warn({ err }, 'the task network sandbox pool did not start'),
  );
  const signal = await stopRequested;
  logger.info({ signal }, 'agent shutting down; its tasks keep running');
  await queue.drain(2_000);
  await stopUsage();
  await agent.close();
  await metadata.close();
  await taskEndpoints.close();
  await networks.closePool();
  runtime.close();
  logger.flush();
}
