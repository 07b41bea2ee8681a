/**
 * Simulated nodes on this machine: each node is a network namespace on the node bridge with a
 * `minato agent` process inside (entered with `nsenter --net`, so that it shares the mount
 * namespace and its task namespaces stay visible), offering the planned instance type's CPU and
 * memory and carrying its group, type and zone as attributes. Agents reach the control plane
 * through a TCP relay on the bridge's gateway address.
 *
 * Agents run detached with their output in `<node dir>/agent.log`, so that a platform that
 * crashed finds them again from the state file; `close()` stops them all and removes their
 * namespaces, veths, data dirs and the bridge.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Arch } from '../../capacity/types.js';
import { CAPACITY_GROUP_ATTRIBUTE } from '../../control/container-instances/container-instance.js';
import { parseArn } from '../../lib/arn.js';
import { NODE_ATTRIBUTE, type NodeInfo, type NodeProvider, type NodeSpec } from '../node-provider.js';
import { isNodeProcess, removeNodeLeftovers } from './node-cleanup.js';
import { addNodeNamespace, ensureBridge, removeBridge, removeNodeNamespace, subnetAddresses } from './node-network.js';
import { readNodeState, writeNodeState, type LocalNodeRecord, type LocalNodeState } from './node-state.js';
import { startRelay, type TcpRelay } from './tcp-relay.js';

/** How local nodes are set up. */
export interface LocalNodeOptions {
  /** Where the state file and the nodes' data dirs live, e.g. `<data-dir>/nodes`. */
  stateDir: string;
  /** The node bridge (at most 10 characters: namespace and veth names are derived from it). */
  bridge: string;
  /** A /24 for the nodes: the gateway is `.1`, nodes `.10` on. */
  subnet: string;
  /** The first two octets of the nodes' task subnets: node k's tasks get `<prefix>.<k>.0/24`. */
  taskSubnetPrefix: string;
  /** The `minato` executable (bin/minato.js) the agents run. */
  minatoBin: string;
  /** The join token of the control plane. */
  token: string;
  /** Where the front door listens (the relay forwards there). */
  target: () => { host: string; port: number };
  /** Preferred relay port (default: the front door's). */
  relayPort?: number;
  /** The architecture of this machine: the only one its nodes run. */
  arch: Arch;
  maxNodes?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

const STOP_WAIT_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nodes as namespaces and agent processes on this machine. */
export class LocalNodeProvider implements NodeProvider {
  readonly architectures: readonly Arch[];
  readonly maxNodes: number;
  private state!: LocalNodeState;
  private relay: TcpRelay | undefined;
  private readonly addr: ReturnType<typeof subnetAddresses>;

  private constructor(private readonly o: LocalNodeOptions) {
    if (!/^[a-zA-Z0-9_-]{1,10}$/.test(o.bridge)) throw new Error(`the node bridge name must be 1–10 letters, digits, - or _, got "${o.bridge}"`);
    if (!/^\d{1,3}\.\d{1,3}$/.test(o.taskSubnetPrefix)) throw new Error(`the task subnet prefix must be two octets such as 10.219, got "${o.taskSubnetPrefix}"`);
    this.addr = subnetAddresses(o.subnet);
    this.architectures = [o.arch];
    this.maxNodes = o.maxNodes ?? 4;
  }

  /** Sets up the bridge and relay, adopting the live nodes of an earlier run and removing the dead ones. */
  static async start(o: LocalNodeOptions): Promise<LocalNodeProvider> {
    const p = new LocalNodeProvider(o);
    const previous = readNodeState(o.stateDir);
    const nodes: LocalNodeRecord[] = [];
    for (const n of previous?.nodes ?? []) {
      if (isNodeProcess(n.pid, n.dataDir)) nodes.push(n);
      else await p.removeRecord(n);
    }
    ensureBridge(o.bridge, p.addr.gateway);
    const wanted = previous?.relayPort ?? o.relayPort ?? o.target().port;
    try {
      p.relay = await startRelay(p.addr.gateway, wanted, o.target).catch(() => startRelay(p.addr.gateway, 0, o.target));
    } catch (err) {
      removeBridge(o.bridge);
      throw err;
    }
    if (nodes.length && p.relay.port !== wanted) o.log?.('the relay port changed; adopted nodes cannot reach the control plane', { wanted, got: p.relay.port });
    p.state = { version: 1, bridge: o.bridge, relayPort: p.relay.port, nodes };
    writeNodeState(o.stateDir, p.state);
    for (const n of nodes) o.log?.('found a node of an earlier run', { node: n.info.id, pid: n.pid });
    return p;
  }

  /** The relay's port on the gateway address. */
  get endpoint(): string {
    return `http://${this.addr.gateway}:${this.state.relayPort}`;
  }

  nodes(): NodeInfo[] {
    return this.state.nodes.filter((n) => isNodeProcess(n.pid, n.dataDir)).map((n) => n.info);
  }

  async launch(spec: NodeSpec): Promise<NodeInfo> {
    if (this.state.nodes.length >= this.maxNodes) throw new Error(`the local node provider runs at most ${this.maxNodes} nodes`);
    const used = new Set(this.state.nodes.map((n) => n.index));
    let index = 0;
    while (used.has(index)) index++;
    const info: NodeInfo = { ...spec, id: `node-${randomBytes(6).toString('hex')}`, launchedAt: Date.now() };
    const rec: LocalNodeRecord = {
      info,
      index,
      pid: 0,
      netns: `${this.o.bridge}-n${index}`,
      veth: `${this.o.bridge}v${index}`,
      address: this.addr.node(index),
      dataDir: join(this.o.stateDir, info.id),
    };
    mkdirSync(rec.dataDir, { recursive: true, mode: 0o700 });
    addNodeNamespace(rec.netns, rec.veth, this.o.bridge, rec.address, this.addr.gateway);
    const log = openSync(join(rec.dataDir, 'agent.log'), 'a', 0o600);
    try {
      const child = spawn('nsenter', [`--net=/var/run/netns/${rec.netns}`, process.execPath, this.o.minatoBin, 'agent', ...this.agentArgs(rec)], {
        stdio: ['ignore', log, log],
        detached: true,
        env: { ...process.env, MINATO_AGENT_TOKEN: this.o.token },
      });
      child.unref();
      if (child.pid === undefined) throw new Error('nsenter could not be started');
      rec.pid = child.pid;
    } catch (err) {
      await this.removeRecord(rec);
      throw err;
    } finally {
      closeSync(log);
    }
    this.state.nodes.push(rec);
    writeNodeState(this.o.stateDir, this.state);
    return info;
  }

  async terminate(id: string): Promise<void> {
    const rec = this.state.nodes.find((n) => n.info.id === id);
    if (!rec) return;
    await this.stopProcess(rec);
    await this.removeRecord(rec);
    this.state.nodes = this.state.nodes.filter((n) => n !== rec);
    writeNodeState(this.o.stateDir, this.state);
  }

  /** Stops every node and removes the relay and the bridge. */
  async close(): Promise<void> {
    for (const n of [...this.state.nodes]) await this.terminate(n.info.id);
    await this.relay?.close();
    removeBridge(this.o.bridge);
  }

  private agentArgs(rec: LocalNodeRecord): string[] {
    const s = rec.info;
    const cluster = parseArn(s.clusterArn)?.resource.replace(/^cluster\//, '') ?? s.clusterArn;
    return [
      '--join', this.endpoint,
      '--cluster', cluster,
      '--region', s.region,
      '--data-dir', rec.dataDir,
      '--host', rec.address,
      // The task bridge lives inside the node's namespace, so one name serves every node.
      '--task-bridge', 'mnode0',
      '--task-subnet', `${this.o.taskSubnetPrefix}.${rec.index}.0/24`,
      '--cpu', String(s.cpu),
      '--memory', String(s.memoryMiB),
      '--attribute', `${CAPACITY_GROUP_ATTRIBUTE}=${s.group}`,
      '--attribute', `ecs.instance-type=${s.instanceType}`,
      '--attribute', `ecs.availability-zone=${s.zone}`,
      '--attribute', `${NODE_ATTRIBUTE}=${s.id}`,
    ];
  }

  /** SIGTERM, then SIGKILL after a bounded wait. */
  private async stopProcess(rec: LocalNodeRecord): Promise<void> {
    if (!isNodeProcess(rec.pid, rec.dataDir)) return;
    try {
      process.kill(rec.pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let waited = 0; waited < STOP_WAIT_MS && isNodeProcess(rec.pid, rec.dataDir); waited += 100) await sleep(100);
    if (isNodeProcess(rec.pid, rec.dataDir)) {
      try {
        process.kill(rec.pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
      for (let waited = 0; waited < 2_000 && isNodeProcess(rec.pid, rec.dataDir); waited += 100) await sleep(100);
    }
  }

  private async removeRecord(rec: LocalNodeRecord): Promise<void> {
    await removeNodeLeftovers(rec.dataDir);
    removeNodeNamespace(rec.netns, rec.veth);
  }
}
