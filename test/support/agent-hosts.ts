/**
 * Several "hosts" on this machine for multi-host tests: a bridge in the test's network namespace
 * with a random /24, one network namespace per agent host with a veth into the bridge, its own
 * address, `lo` up and a default route via the bridge. The control platform listens on the
 * bridge address; each agent is a real `minato agent` process entered into its namespace with
 * `nsenter --net` (not `ip netns exec`, whose private mount namespace would hide the task
 * namespaces a restarted agent must find again).
 *
 *   const hosts = await createAgentHosts(3);
 *   const control = await startControlPlane(hosts);
 *   const agent = await hosts.hosts[0]!.startAgent(control);
 *   …
 *   await control.dispose(); await hosts.dispose();
 */
import { removeTaskBridge } from './task-bridge.js';
import { sweepDataDir } from './sweep-data-dir.js';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ECSClient } from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import { AGENT_TOKEN_FILE } from '../../src/agent-gateway/join-token.js';
import { DEFAULT_CONFIG, type PlatformConfig } from '../../src/cli/config.js';
import { startPlatform, type Platform } from '../../src/cli/platform.js';
import { CLUSTER_MEMBERS } from '../../src/control/clusters/activity.js';
import type { ContainerInstanceRecord } from '../../src/control/container-instances/container-instance.js';
import { instanceKey, parseInstanceArn } from '../../src/control/container-instances/instance-identity.js';
import { MINATO_BIN } from './minato-process.js';
import { addNodeNamespace } from '../../src/nodes/local/node-network.js';

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const quietly = (f: () => unknown) => {
  try {
    f();
  } catch {
    // already gone
  }
};

/** One agent host: a network namespace with an address on the hosts' bridge. */
export interface AgentHost {
  index: number;
  /** The namespace's name (under /var/run/netns). */
  netns: string;
  address: string;
  /** The task bridge and subnet its agent uses (inside its namespace). */
  taskBridge: string;
  taskSubnet: string;
  /** The agent's data dir (kept across agent restarts). */
  dataDir: string;
  /** Starts `minato agent --join` in the namespace (the cluster must exist); resolves once it has joined. */
  startAgent(control: ControlPlane, extraArgs?: string[]): Promise<AgentProcess>;
}

/** A running `minato agent`. */
export interface AgentProcess {
  child: ChildProcess;
  pid: number;
  containerInstanceArn: string;
  /** Every stdout line so far. */
  lines: string[];
  /** Sends a signal and waits (at most 10 s) for the exit; resolves with the exit code (null if killed by a signal or still running). */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The set of hosts and how to remove them. */
export interface AgentHosts {
  bridge: string;
  /** The bridge's address: where the control plane listens. */
  gateway: string;
  hosts: AgentHost[];
  /** Kills agents still running, removes their containers, mounts, namespaces, the bridge and data dirs. */
  dispose(): Promise<void>;
}

/** The control plane for the hosts: a platform on the bridge address serving the agent protocol. */
export interface ControlPlane {
  readonly endpoint: string;
  readonly agents: Platform['agents'];
  readonly store: Platform['store'];
  config: PlatformConfig;
  token: string;
  /** A container instance as the control plane stores it (for what the API does not show, e.g. lastSeenAt). */
  instance(containerInstanceArn: string): Promise<ContainerInstanceRecord | undefined>;
  /** An ECS client of the real SDK for this control plane (destroyed at dispose). */
  ecs(): ECSClient;
  /** Closes the platform (tasks keep running) and starts it again on the same port and data dir. */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

/** Builds `count` agent hosts. */
export async function createAgentHosts(count: number): Promise<AgentHosts> {
  const tag = `${process.pid % 100000}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;
  const net = Math.floor(Math.random() * 250);
  const taskBase = Math.floor(Math.random() * 80) * 3;
  const bridge = `mh${tag}`;
  const gateway = `10.216.${net}.1`;
  const agents: AgentProcess[] = [];
  const hosts: AgentHost[] = [];
  ip('link', 'add', bridge, 'type', 'bridge');
  try {
    ip('addr', 'add', `${gateway}/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    for (let i = 0; i < count; i++) {
      const netns = `mh${tag}n${i}`;
      const veth = `mh${tag}v${i}`;
      const address = `10.216.${net}.${10 + i}`;
      addNodeNamespace(netns, veth, bridge, address, gateway);
      const host: AgentHost = {
        index: i,
        netns,
        address,
        taskBridge: `mt${tag}`,
        taskSubnet: `10.217.${taskBase + i}.0/24`,
        dataDir: mkdtempSync(join(tmpdir(), `minato-agent${i}-`)),
        startAgent: async (control, extraArgs = []) => {
          const agent = await spawnAgent(host, control, extraArgs);
          agents.push(agent);
          return agent;
        },
      };
      hosts.push(host);
    }
  } catch (err) {
    await removeHosts(bridge, hosts, agents);
    throw err;
  }
  return { bridge, gateway, hosts, dispose: () => removeHosts(bridge, hosts, agents) };
}

async function spawnAgent(host: AgentHost, control: ControlPlane, extraArgs: string[]): Promise<AgentProcess> {
  const args = [
    `--net=/var/run/netns/${host.netns}`,
    process.execPath,
    MINATO_BIN,
    'agent',
    '--join', control.endpoint,
    '--token', control.token,
    '--data-dir', host.dataDir,
    '--host', host.address,
    '--task-bridge', host.taskBridge,
    '--task-subnet', host.taskSubnet,
    ...extraArgs,
  ];
  const child = spawn('nsenter', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');
  const containerInstanceArn = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent ${host.index} did not join in 20 s: ${stderr} ${lines.join('\n')}`)), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = /agent joined as (arn:\S+?)"/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`agent ${host.index} exited with ${String(code)}: ${stderr}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    containerInstanceArn,
    lines,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      }
      return child.exitCode;
    },
  };
}

/** The runc containers an agent's runtime knows (id and status), from its own state root. */
export function agentContainers(host: AgentHost): Array<{ id: string; status: string; pid: number }> {
  const root = join(host.dataDir, 'runtime', 'runc');
  if (!existsSync(root)) return [];
  const out = execFileSync('runc', ['--root', root, 'list', '--format', 'json'], { encoding: 'utf8' });
  return ((JSON.parse(out || '[]') as Array<{ id: string; status: string; pid: number }> | null) ?? []).map(({ id, status, pid }) => ({ id, status, pid }));
}

async function removeHosts(bridge: string, hosts: AgentHost[], agents: AgentProcess[]): Promise<void> {
  for (const agent of agents) await agent.kill('SIGKILL');
  for (const host of hosts) {
    // Whatever the agent's tasks left (containers under its runc root, mounts, task and pooled
    // namespaces, task cgroups): the agents were killed, so nothing of theirs cleaned up.
    await sweepDataDir(host.dataDir);
    quietly(() => ip('netns', 'delete', host.netns));
    rmSync(host.dataDir, { recursive: true, force: true });
  }
  quietly(() => ip('link', 'del', bridge));
}

/** How the control plane of a test is tuned. */
export interface ControlPlaneOptions {
  /** An agent silent for this long is marked disconnected (default 2 s). */
  disconnectTimeoutMs?: number;
  /** The service scheduler's tick (default: the platform's). */
  serviceTickMs?: number;
  /** How often the ECS metrics are published (default: the platform's, once a minute). */
  insightsIntervalMs?: number;
}

/**
 * Starts the control platform on the hosts' bridge address, with non-default credentials and a
 * short disconnect timeout. Agents register as the platform's real container instances.
 */
export async function startControlPlane(hosts: AgentHosts, options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const dataDir = mkdtempSync(join(tmpdir(), 'minato-control-'));
  const n = 1 + Math.floor(Math.random() * 250);
  const taskBridge = `mnc${process.pid % 10000}x${n}`;
  const config: PlatformConfig = {
    ...DEFAULT_CONFIG,
    host: hosts.gateway,
    port: 0,
    dataDir,
    accessKeyId: 'AKIDMULTIHOST',
    secretAccessKey: 'multi-host-secret',
    taskBridge,
    taskSubnet: `10.214.${n}.0/24`,
    // Its own load balancer addresses, apart from other platforms' on this machine.
    lbSubnet: `127.79.${n}.0/24`,
  };
  const start = () =>
    startPlatform(config, pino({ level: 'silent' }), {
      metadataPort: 0,
      agentDisconnectTimeoutMs: options.disconnectTimeoutMs ?? 2_000,
      ...(options.serviceTickMs !== undefined && { serviceTickMs: options.serviceTickMs }),
      ...(options.insightsIntervalMs !== undefined && { insightsIntervalMs: options.insightsIntervalMs }),
    });
  let platform = await start();
  // A restart listens on the same port, so that agents find it again.
  config.port = Number(new URL(platform.endpoint).port);
  const clients: ECSClient[] = [];
  return {
    get endpoint() {
      return platform.endpoint;
    },
    get agents() {
      return platform.agents;
    },
    get store() {
      return platform.store;
    },
    config,
    instance: async (arn) => {
      const parts = parseInstanceArn(arn);
      return parts && platform.store.collection<ContainerInstanceRecord>(CLUSTER_MEMBERS.containerInstances).get(instanceKey(parts.clusterArn, parts.id));
    },
    token: readFileSync(join(dataDir, AGENT_TOKEN_FILE), 'utf8').trim(),
    ecs: () => {
      const client = new ECSClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    async restart() {
      await platform.close();
      platform = await start();
    },
    async dispose() {
      for (const c of clients) c.destroy();
      await platform.stopAllTasks();
      await platform.close();
      await removeTaskBridge(taskBridge).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
