import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError, ErrorKind, invalidParameter } from '../../lib/errors.js';
import { asDomainError, bothSettled, checkTaskId, samePorts } from './cni-network-checks.js';
import type { CniNetworkManagerOptions } from './cni-network-options.js';
import { CNI_NAME, INTERFACE_NAME, loopbackConfig, portMappingArgs, taskNetworkConfig } from './cni-config.js';
import { CniRuntime } from './cni-runtime.js';
import { CNI_VERSION, type CniAttachment, type CniResult } from './cni-types.js';
import { BridgeFirewall } from './bridge-firewall.js';
import {
  checkClaims,
  checkPortMappings,
  ephemeralPortRange,
  hostPortInUse,
  hostPortTaken,
  resolveDynamicPorts,
  type PortRange,
} from './host-ports.js';
import { firstHost, formatIpv4, formatSubnet, parseSubnet, usableHosts, type Ipv4Subnet } from './ipv4.js';
import { KeyedMutex } from './keyed-mutex.js';
import { execFile } from './exec.js';
import { createNetns, deleteNetns, netnsExists, netnsName, netnsPath } from './netns.js';
import { dropMasquerade } from './orphan-masquerade.js';
import { PooledSandboxes } from './pooled-sandboxes.js';
import { SandboxPool } from './sandbox-pool.js';
import type { NetworkManager, TaskNetwork, TaskNetworkRequest } from './network-manager.js';
import { recordedRequest, TaskStateStore, type SavedTaskNetwork } from './task-state.js';
import { applyTaskFirewall } from './task-firewall.js';
import type { TaskFirewall } from '../../agent-contract/task-firewall.js';
import { toTaskNetwork } from './task-network.js';

export { DEFAULT_SANDBOX_POOL, type CniNetworkManagerOptions } from './cni-network-options.js';

const IF_NAME = 'eth0';
const LOOPBACK_IF = 'lo';
const REQUIRED_PLUGINS = ['bridge', 'host-local', 'portmap', 'loopback'] as const;

/**
 * Task networks made by running the standard CNI plugins directly: a network namespace per task,
 * `lo` up (loopback), a veth into the `minato0` bridge with a host-local address (bridge), and host
 * ports published on 127.0.0.1, or the address the host is known by (portmap).
 *
 * Why portmap's DNAT rather than a proxy in this process: the rules live in the kernel, so published
 * ports keep working while minato restarts and need no re-adoption (the saved configuration is all
 * DEL needs later); TCP and UDP are forwarded without copying bytes through Node. DNAT of 127.0.0.1
 * needs `route_localnet`, which portmap sets on the minato bridge only (not `all`), and masquerades
 * the connections it marks, so tasks see the bridge address as their peer. DNAT reserves no port,
 * so setup first checks that neither another task nor a host process holds it.
 *
 * Host effects: the bridge plugin (isGateway) sets net.ipv4.ip_forward=1; portmap adds the shared
 * nat chains CNI-HOSTPORT-{DNAT,SETMARK,MASQ} on first use and one CNI-DN-… chain per task; the
 * filter chain MINATO-<bridge> (host-firewall.ts), jumped to from INPUT for the bridge, keeps tasks
 * away from the host's other services. It stays while minato is stopped, as the tasks do, and goes
 * with {@link CniNetworkManager.destroy}. One process per state directory: the locks here are in-process.
 */
export class CniNetworkManager implements NetworkManager {
  readonly bridge: string;
  readonly subnet: Ipv4Subnet;
  private readonly networkName: string;
  private readonly outboundNat: boolean;
  private readonly ipamDataDir: string;
  private readonly states: TaskStateStore;
  /** The pool's sandboxes, by their CNI container id (`pool-…`), until a task takes one. */
  private readonly sandboxes: PooledSandboxes;
  private readonly poolSize: number;
  private pool: SandboxPool | undefined;
  private poolStarting: Promise<void> | undefined;
  private readonly runtime: CniRuntime;
  private readonly locks = new KeyedMutex();
  private dynamicHostPorts: PortRange | undefined;
  private readyOnce: Promise<void> | undefined;
  private readonly gatewayDns: ((gateway: string) => Promise<boolean>) | undefined;
  private readonly publishAddress: string | undefined;
  private readonly firewall: BridgeFirewall;

  constructor(opts: CniNetworkManagerOptions) {
    this.bridge = opts.bridge ?? 'minato0';
    if (!INTERFACE_NAME.test(this.bridge)) throw invalidParameter(`Invalid bridge name "${this.bridge}".`);
    const subnet = parseSubnet(opts.subnet ?? '10.213.0.0/16');
    if (!subnet || usableHosts(subnet) < 1) throw invalidParameter(`Invalid task subnet "${opts.subnet}".`);
    this.subnet = subnet;
    this.networkName = opts.networkName ?? this.bridge;
    if (!CNI_NAME.test(this.networkName)) throw invalidParameter(`Invalid CNI network name "${this.networkName}".`);
    this.outboundNat = opts.outboundNat ?? true;
    this.dynamicHostPorts = opts.dynamicHostPorts;
    this.ipamDataDir = join(opts.stateDir, 'ipam');
    this.states = new TaskStateStore(join(opts.stateDir, 'tasks'));
    this.sandboxes = new PooledSandboxes(new TaskStateStore(join(opts.stateDir, 'pool')), this.states, {
      ready: () => this.ready(),
      pendingState: (req) => this.pendingState(req),
      attach: (pending) => this.attach(pending),
      detach: (saved) => this.detach(saved),
    });
    this.poolSize = opts.sandboxPool ?? 0;
    this.gatewayDns = opts.gatewayDns;
    this.publishAddress = opts.publishAddress;
    this.firewall = new BridgeFirewall(
      {
        bridge: this.bridge,
        gateway: this.gateway,
        ...(this.outboundNat && { masqueradeSubnet: formatSubnet(this.subnet) }),
        ...(opts.admitFrom !== undefined && { admitFrom: opts.admitFrom }),
      },
      opts.hostTcpPorts,
    );
    this.runtime = new CniRuntime({
      cniPath: opts.cniPath ?? '/usr/lib/cni',
      timeoutMs: opts.pluginTimeoutMs ?? 30_000,
      exclusive: ['portmap'],
    });
  }

  /** {@inheritDoc NetworkManager.setup} */
  async setup(req: TaskNetworkRequest): Promise<TaskNetwork> {
    checkTaskId(req.taskId);
    checkPortMappings(req.portMappings);
    await this.ready();
    const network = await this.locks.run(`task:${req.taskId}`, async () => {
      const made = await this.setupLocked(req);
      // Before the task's containers start: from their first packet, only what the groups allow.
      if (req.firewall !== undefined) await applyTaskFirewall(made.netnsPath, req.firewall, this.gateway);
      return made;
    });
    // The gateway address exists once the bridge does: the DNS server can listen on it now.
    const dns = this.gatewayDns && (await this.gatewayDns(network.gateway));
    return dns ? { ...network, nameservers: [network.gateway] } : network;
  }

  /** {@inheritDoc NetworkManager.teardown} */
  async teardown(taskId: string): Promise<void> {
    checkTaskId(taskId);
    await this.locks.run(`task:${taskId}`, () => this.teardownLocked(taskId));
  }

  /**
   * Replaces what a task's security groups allow (see task-firewall.ts), as groups and their
   * members change; `undefined` lifts the filtering. A task without a network is left alone.
   */
  async setFirewall(taskId: string, firewall: TaskFirewall | undefined): Promise<boolean> {
    checkTaskId(taskId);
    return this.locks.run(`task:${taskId}`, async () => {
      const saved = await this.states.read(taskId);
      if (!saved?.taskNetwork || !(await netnsExists(saved.netnsName))) return false;
      await applyTaskFirewall(saved.netnsPath, firewall, this.gateway);
      return true;
    });
  }

  /** {@inheritDoc NetworkManager.list} */
  list(): Promise<string[]> {
    return this.states.list();
  }

  /**
   * Begins keeping {@link CniNetworkManagerOptions.sandboxPool} sandboxes ready, refilled in the
   * background. First the sandboxes an earlier run left in the pool (it crashed, or its stop was
   * cut short) are removed; one a task had taken just before a crash stays that task's.
   */
  startPool(onError: (err: unknown) => void): Promise<void> {
    if (this.poolSize === 0 || this.pool) return this.poolStarting ?? Promise.resolve();
    const pool = new SandboxPool(
      { make: () => this.sandboxes.make(), release: (id) => this.sandboxes.release(id) },
      { size: this.poolSize, onError },
    );
    this.pool = pool;
    this.poolStarting = (async () => {
      await this.ready();
      await this.sandboxes.recover();
      pool.start();
    })();
    return this.poolStarting;
  }

  /** Stops refilling and removes the sandboxes no task took; for shutdown. */
  async closePool(): Promise<void> {
    const pool = this.pool;
    if (!pool) return;
    this.pool = undefined;
    await pool.close();
    await this.poolStarting?.catch(() => undefined);
    this.poolStarting = undefined;
  }

  /** The bridge's address, the tasks' gateway. */
  get gateway(): string {
    return formatIpv4(firstHost(this.subnet));
  }

  /**
   * Lets tasks reach a TCP port of this host known only once its server listens (the endpoint's),
   * on any of the host's addresses. The rules are installed anew, so that a restart with another
   * port replaces the previous run's.
   */
  allowHostTcpPort(port: number): Promise<void> {
    return this.firewall.allowHostTcpPort(port);
  }

  /** Lets tasks reach a TCP port on the gateway address only (the metadata endpoint's, once it listens). */
  allowGatewayTcpPort(port: number): Promise<void> {
    return this.firewall.allowGatewayTcpPort(port);
  }

  /**
   * Redirects the tasks' requests to 169.254.170.2:80 to the credentials endpoint on the gateway
   * at `port` (and lets them reach that port), once its server listens.
   */
  serveCredentialsAt(port: number): Promise<void> {
    return this.firewall.serveCredentialsAt(port);
  }

  /**
   * Takes minato's networking off the host: tears down every task network still here, then
   * removes the firewall chain and the bridge. For uninstalling and for tests; a stopped minato
   * leaves them in place, since its tasks keep running.
   */
  async destroy(): Promise<void> {
    await this.closePool();
    await this.sandboxes.releaseAll();
    for (const id of await this.states.list()) await this.teardown(id);
    await this.firewall.remove();
    const r = await execFile('ip', ['link', 'del', this.bridge], { timeoutMs: 10_000 });
    // A bridge no task ever made is not there.
    if (r.code !== 0 && !/Cannot find device/i.test(r.stderr)) throw new Error(`ip link del ${this.bridge} failed: ${r.stderr.trim()}`);
    this.readyOnce = undefined;
  }

  private async setupLocked(req: TaskNetworkRequest): Promise<TaskNetwork> {
    const saved = await this.states.read(req.taskId);
    if (saved?.taskNetwork && saved.result) {
      if (!samePorts(saved.request.portMappings, req.portMappings)) {
        throw new DomainError(ErrorKind.Conflict, `Task ${req.taskId} already has a network with other port mappings.`, 'task-network');
      }
      if (await netnsExists(saved.netnsName)) {
        await this.check(saved);
        return saved.taskNetwork;
      }
    }
    // A namespace gone with the host's restart, or a setup cut short: release what is left first.
    if (saved) await this.teardownLocked(req.taskId);
    return (await this.fromPool(req)) ?? this.create(req);
  }

  /** A pooled sandbox for a task that publishes no ports, when one is ready. */
  private async fromPool(req: TaskNetworkRequest): Promise<TaskNetwork | undefined> {
    if (portMappingArgs(req.portMappings, this.publishAddress).length > 0) return undefined;
    const id = this.pool?.take();
    return id === undefined ? undefined : this.sandboxes.handOver(id, req);
  }

  /** The record of a network about to be made for `req.taskId` (a task's, or a pooled sandbox's id). */
  private pendingState(req: TaskNetworkRequest): SavedTaskNetwork {
    const name = netnsName(req.taskId);
    const path = netnsPath(name);
    return {
      version: 1,
      taskId: req.taskId,
      netnsName: name,
      netnsPath: path,
      ifName: IF_NAME,
      request: recordedRequest(req),
      network: taskNetworkConfig({
        networkName: this.networkName,
        bridge: this.bridge,
        subnet: this.subnet,
        ipamDataDir: this.ipamDataDir,
        outboundNat: this.outboundNat,
      }, { publishesPorts: portMappingArgs(req.portMappings, this.publishAddress).length > 0 }),
      loopback: loopbackConfig(),
      capabilityArgs: { portMappings: portMappingArgs(req.portMappings, this.publishAddress) },
    };
  }

  private async create(req: TaskNetworkRequest): Promise<TaskNetwork> {
    const pending = this.pendingState(req);
    const name = pending.netnsName;
    // Checked before the claim: undoing a failed setup would otherwise delete a namespace not ours.
    if (await netnsExists(name)) {
      throw new DomainError(ErrorKind.Conflict, `Network namespace ${name} exists but minato has no record of it.`, 'task-network');
    }
    await this.claimPorts(pending);
    try {
      const results = await this.attach(pending);
      const taskNetwork = toTaskNetwork(req, pending.netnsPath, IF_NAME, results.result, pending.capabilityArgs.portMappings);
      await this.states.write({ ...pending, ...results, taskNetwork });
      return taskNetwork;
    } catch (e) {
      // The spec asks for a DEL after a failed ADD. If that fails too, the saved state stays, so
      // that list() reports the task and a later teardown retries. The namespace exists only if
      // this setup made it (it was checked absent before).
      if (await netnsExists(name)) await this.teardownLocked(req.taskId).catch(() => undefined);
      else await this.states.delete(req.taskId);
      throw asDomainError(e, req.taskId);
    }
  }

  /** Creates the recorded namespace and adds both attachments to it. */
  private async attach(pending: SavedTaskNetwork): Promise<{ result: CniResult; loopbackResult: CniResult }> {
    await createNetns(pending.netnsName);
    const lo: CniAttachment = { containerId: pending.taskId, netns: pending.netnsPath, ifName: LOOPBACK_IF };
    const eth: CniAttachment = { containerId: pending.taskId, netns: pending.netnsPath, ifName: IF_NAME };
    // The two attachments touch different interfaces: added side by side, both settled before
    // a failure is undone.
    const [loopbackResult, result] = await bothSettled(
      this.runtime.add(pending.loopback, lo, {}),
      this.runtime.add(pending.network, eth, pending.capabilityArgs),
    );
    return { result, loopbackResult };
  }

  /**
   * Checks the host ports against other tasks and host processes and picks the dynamic ones, then
   * records the claim (the pending state, with the ports picked) before anything is created; one
   * claim at a time, so two tasks cannot both win a port.
   */
  private claimPorts(pending: SavedTaskNetwork): Promise<void> {
    return this.locks.run('claims', async () => {
      const wanted = pending.capabilityArgs.portMappings;
      if (wanted.length > 0) {
        const claims = new Map<string, SavedTaskNetwork['capabilityArgs']['portMappings']>();
        for (const id of await this.states.list()) {
          const other = id === pending.taskId ? undefined : await this.states.read(id).catch(() => undefined);
          if (other) claims.set(id, other.capabilityArgs.portMappings);
        }
        checkClaims(pending.taskId, wanted, claims);
        for (const m of wanted) {
          if (m.hostPort !== 0 && (await hostPortInUse(m))) throw hostPortTaken(m, 'a process on this host');
        }
        pending.capabilityArgs = { portMappings: await resolveDynamicPorts(pending.taskId, wanted, claims, await this.dynamicRange()) };
      }
      await this.states.write(pending);
    });
  }

  private async dynamicRange(): Promise<PortRange> {
    this.dynamicHostPorts ??= await ephemeralPortRange();
    return this.dynamicHostPorts;
  }

  private async teardownLocked(taskId: string): Promise<void> {
    const saved = await this.states.read(taskId);
    if (!saved) return;
    await this.detach(saved);
    await this.states.delete(taskId);
  }

  /** DEL of both attachments, then the namespace; the record is the caller's to delete. */
  private async detach(saved: SavedTaskNetwork): Promise<void> {
    const containerId = saved.containerId ?? saved.taskId;
    try {
      // Without its namespace (e.g. after a reboot) DEL still releases the lease and the rules,
      // all but outbound NAT's, which the bridge plugin finds on the interface (dropMasquerade).
      const netns = (await netnsExists(saved.netnsName)) ? saved.netnsPath : '';
      const eth: CniAttachment = { containerId, netns, ifName: saved.ifName };
      const lo: CniAttachment = { containerId, netns, ifName: LOOPBACK_IF };
      await bothSettled(
        this.runtime.del(saved.network, eth, saved.capabilityArgs, saved.result),
        this.runtime.del(saved.loopback, lo, {}, saved.loopbackResult),
      );
      // Only a DEL without its namespace can miss outbound NAT's rules.
      if (netns === '') await dropMasquerade(saved.network, containerId, saved.result);
      await deleteNetns(saved.netnsName);
    } catch (e) {
      throw asDomainError(e, saved.taskId);
    }
  }

  /** CNI CHECK of both attachments; a broken network is reported, not replaced under running containers. */
  private async check(saved: SavedTaskNetwork): Promise<void> {
    // portmap 1.1.1's CHECK also demands an ip6tables chain when the task has only IPv4, so it fails
    // for every healthy task with a published port (fixed upstream in 1.3.0); it is left out.
    const checked = { ...saved.network, plugins: saved.network.plugins.filter((p) => p.type !== 'portmap') };
    try {
      const containerId = saved.containerId ?? saved.taskId;
      const eth: CniAttachment = { containerId, netns: saved.netnsPath, ifName: saved.ifName };
      await this.runtime.check(checked, eth, saved.capabilityArgs, saved.result!);
      const lo: CniAttachment = { containerId, netns: saved.netnsPath, ifName: LOOPBACK_IF };
      if (saved.loopbackResult) await this.runtime.check(saved.loopback, lo, {}, saved.loopbackResult);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new DomainError(ErrorKind.Unavailable, `The network of task ${saved.taskId} is broken; tear it down and set it up again: ${why}`, 'task-network');
    }
  }

  /**
   * Once per manager: the state directory, plugins that exist and speak {@link CNI_VERSION}, and
   * the firewall, in place before the first task can send anything.
   */
  private ready(): Promise<void> {
    this.readyOnce ??= (async () => {
      await mkdir(this.ipamDataDir, { recursive: true, mode: 0o700 });
      await this.firewall.install();
      for (const type of REQUIRED_PLUGINS) {
        const versions = await this.runtime.supportedVersions(type, CNI_VERSION);
        if (!versions.includes(CNI_VERSION)) {
          throw new Error(`CNI plugin ${type} does not support specification ${CNI_VERSION} (it supports ${versions.join(', ') || 'nothing'})`);
        }
      }
    })().catch((e: unknown) => {
      this.readyOnce = undefined;
      throw new DomainError(ErrorKind.Unavailable, `Task networking is unavailable: ${e instanceof Error ? e.message : String(e)}`, 'task-network');
    });
    return this.readyOnce;
  }
}
