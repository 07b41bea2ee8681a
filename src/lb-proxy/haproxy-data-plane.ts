/**
 * LoadBalancerDataPlane on HAProxy. Structure (listeners, rules, groups, targets) goes into the
 * configuration and is applied by a hitless reload; which targets take new requests (health,
 * draining, failing open) goes through the runtime API at once, and is also written into every
 * configuration so a new worker starts with the same view.
 *
 * Health checks are made here, not by HAProxy: HAProxy 2.6 starts a checked server UP (ELB's new
 * targets get nothing until they pass), has no ELB reason codes, and forgets check state on
 * reload. Here a target is `initial` until its checks conclude, and HAProxy only ever hears
 * "ready" or "maint".
 */
import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { LoadBalancerDataPlane, ObservedTargetHealth, ProxyConfig, ProxyTarget, ProxyTargetGroup } from './proxy-config.js';
import { type HaproxyPaths, haproxyConfig } from './haproxy-config.js';
import { HaproxyMaster, checkConfig } from './haproxy-process.js';
import { backendName, serverName, shortId } from './haproxy-syntax.js';
import { HealthMonitor, observed } from './health-monitor.js';
import type { HealthRecord } from './health-state.js';
import { writeHostsBlock } from './hosts-file.js';
import { readyServers, socketCommand } from './runtime-api.js';
import { servingTargets } from './serving.js';
import type { LoadBalancerMetricSink } from './metrics-port.js';
import type { HostCounts } from './traffic-metrics.js';
import { STATS_COMMAND, TrafficSampler } from './traffic-sampler.js';

/** Where and how the data plane runs. */
export interface HaproxyDataPlaneOptions {
  /** The platform's data directory; HAProxy's files go to `<dataDir>/lb/`. */
  dataDir: string;
  /** The hosts file the load balancers' names go into (default /etc/hosts). */
  hostsFile?: string;
  /** Marks this platform's block in the hosts file (default: derived from the data directory). */
  instanceId?: string;
  /** The HAProxy binary (default /usr/sbin/haproxy). */
  binary?: string;
  /** Told about failures of background work (runtime updates after a health change). */
  onError?: (error: Error) => void;
}

const emptyConfig: ProxyConfig = { loadBalancers: [], targetGroups: [] };

/** The data plane; `open` adopts an HAProxy a previous run left serving. */
export class HaproxyDataPlane implements LoadBalancerDataPlane {
  private config: ProxyConfig = emptyConfig;
  private master: HaproxyMaster | undefined;
  /** The configuration's structure (targets all serving) last loaded, to skip needless reloads. */
  private loadedStructure: string | undefined;
  /** What the running worker was told per `backend/server`: true = ready. */
  private readonly told = new Map<string, boolean>();
  /** Servers found ready in an adopted HAProxy: they start healthy, so adoption does not cut traffic. */
  private adoptedReady: Set<string> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners: Array<(arn: string, health: ObservedTargetHealth) => void> = [];
  private readonly monitor = new HealthMonitor((group, target, record) => this.healthChanged(group, target, record));
  private readonly paths: HaproxyPaths & { configFile: string; masterSocket: string };
  private traffic = new TrafficSampler(true);

  private constructor(private readonly options: Required<Omit<HaproxyDataPlaneOptions, 'onError'>> & HaproxyDataPlaneOptions) {
    const dir = join(resolve(options.dataDir), 'lb');
    this.paths = {
      dir,
      adminSocket: join(dir, 'admin.sock'),
      pidFile: join(dir, 'haproxy.pid'),
      configFile: join(dir, 'haproxy.cfg'),
      masterSocket: join(dir, 'master.sock'),
    };
  }

  /** Opens the data plane, adopting the HAProxy of a previous run when it still serves. */
  static async open(options: HaproxyDataPlaneOptions): Promise<HaproxyDataPlane> {
    const plane = new HaproxyDataPlane({
      hostsFile: '/etc/hosts',
      instanceId: shortId(resolve(options.dataDir)),
      binary: '/usr/sbin/haproxy',
      ...options,
    });
    plane.master = await HaproxyMaster.adopt(plane.files());
    if (plane.master) {
      // An adopted worker's counts so far belong to periods already published (or lost).
      plane.traffic = new TrafficSampler(false);
      const state = await socketCommand(plane.paths.adminSocket, 'show servers state').catch(() => '');
      plane.adoptedReady = readyServers(state);
    }
    return plane;
  }

  /** Whether an HAProxy master serves now (its pid), for tests and diagnostics. */
  get masterPid(): number | undefined {
    return this.master?.pid;
  }

  apply(config: ProxyConfig): Promise<void> {
    return this.serialized(async () => {
      this.config = config;
      const adopted = this.adoptedReady;
      this.adoptedReady = undefined;
      this.monitor.sync(groupsInUse(config), (group, target) =>
        adopted?.has(`${backendName(group.arn)}/${serverName(target.address, target.port)}`)
          ? { state: 'healthy', since: new Date(), successes: 0, failures: 0 }
          : undefined,
      );
      await this.load();
      await writeHostsBlock(this.options.hostsFile, this.options.instanceId, this.hostsEntries());
    });
  }

  /** Resolves once every update queued so far (applies, runtime changes after health changes) is done. */
  idle(): Promise<void> {
    return this.serialized(async () => undefined);
  }

  targetHealth(targetGroupArn: string): ObservedTargetHealth[] {
    return this.monitor.health(targetGroupArn);
  }

  onHealthChange(listener: (targetGroupArn: string, health: ObservedTargetHealth) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Publishes the load balancers' metrics every `intervalMs` (ELB's period is 60 s) until the
   * returned function is called.
   */
  publishMetrics(sink: LoadBalancerMetricSink, intervalMs: number): () => void {
    const timer = setInterval(() => {
      this.serialized(async () => {
        await this.readTraffic();
        sink(this.traffic.flush(this.config, (g) => this.hostCounts(g), Date.now()));
      }).catch((e: unknown) => this.options.onError?.(e as Error));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  close(): Promise<void> {
    return this.serialized(async () => {
      this.monitor.stop();
      await this.master?.stop();
      this.master = undefined;
      await rm(this.paths.dir, { recursive: true, force: true });
      await writeHostsBlock(this.options.hostsFile, this.options.instanceId, []);
    });
  }

  private files(): Parameters<typeof HaproxyMaster.start>[0] {
    return { binary: this.options.binary, configFile: this.paths.configFile, pidFile: this.paths.pidFile, masterSocket: this.paths.masterSocket };
  }

  /** Reloads when the structure changed, else tells the worker what changed in serving. */
  private async load(): Promise<void> {
    const hasListeners = this.config.loadBalancers.some((lb) => lb.listeners.length > 0);
    if (!hasListeners) {
      await this.readTraffic();
      this.traffic.stopped();
      await this.master?.stop();
      this.master = undefined;
      this.loadedStructure = undefined;
      return;
    }
    const structure = JSON.stringify(haproxyConfig(this.config, () => true, this.paths));
    if (this.master && structure === this.loadedStructure) {
      await this.pushServing();
      return;
    }
    const desired = this.desiredServing();
    const rendered = haproxyConfig(this.config, (g, t) => desired.get(key(g, t)) ?? false, this.paths);
    await this.writeFiles(rendered.files);
    const next = `${this.paths.configFile}.next`;
    await writeFile(next, rendered.text, { mode: 0o600 });
    await checkConfig(this.options.binary, next).catch(async (e: unknown) => {
      await rm(next, { force: true });
      throw e;
    });
    await rename(next, this.paths.configFile);
    if (this.master) {
      // The new worker counts from zero: the old one's counts since the last reading are taken now.
      await this.readTraffic();
      await this.master.reload();
    } else {
      this.master = await HaproxyMaster.start(this.files());
      this.traffic.started();
    }
    this.loadedStructure = structure;
    this.told.clear();
    for (const [k, serves] of desired) this.told.set(k, serves);
  }

  /** `backend/server` → whether it takes new requests now. */
  private desiredServing(): Map<string, boolean> {
    const desired = new Map<string, boolean>();
    for (const group of this.config.targetGroups) {
      const serving = new Set(servingTargets(group, (t) => this.monitor.record(group.arn, t)?.state ?? 'initial'));
      for (const t of group.targets) {
        const k = key(group, t);
        desired.set(k, (desired.get(k) ?? false) || serving.has(t));
      }
    }
    return desired;
  }

  /** Sends `set server … state` for every server whose serving changed since the worker was told. */
  private async pushServing(): Promise<void> {
    const commands: string[] = [];
    const desired = this.desiredServing();
    for (const [k, serves] of desired) {
      if (this.told.get(k) === serves) continue;
      commands.push(`set server ${k} state ${serves ? 'ready' : 'maint'}`);
    }
    if (commands.length === 0 || !this.master) return;
    const answer = await socketCommand(this.paths.adminSocket, commands.join(';'));
    if (answer.trim() !== '') throw new Error(`HAProxy runtime API: ${answer.trim()}`);
    for (const [k, serves] of desired) this.told.set(k, serves);
  }

  /** Reads the worker's counters into the current period (nothing when HAProxy does not run or does not answer). */
  private async readTraffic(): Promise<void> {
    if (!this.master) return;
    const answer = await socketCommand(this.paths.adminSocket, STATS_COMMAND).catch(() => '');
    this.traffic.read(answer);
  }

  /** A group's targets by observed health (draining ones not counted); without checks, every target is healthy. */
  private hostCounts(group: ProxyTargetGroup): HostCounts {
    const counts = { healthy: 0, unhealthy: 0 };
    for (const t of group.targets) {
      if (t.draining) continue;
      const state = group.healthCheck.enabled ? this.monitor.record(group.arn, t)?.state : 'healthy';
      if (state === 'healthy') counts.healthy++;
      else if (state === 'unhealthy') counts.unhealthy++;
    }
    return counts;
  }

  private healthChanged(group: ProxyTargetGroup, target: ProxyTarget, record: HealthRecord): void {
    const health = observed(target, record);
    for (const l of this.listeners) l(group.arn, health);
    this.serialized(() => this.pushServing()).catch((e: unknown) => this.options.onError?.(e as Error));
  }

  /** Writes the configuration's files (0600 in 0700 directories) and removes those no longer named. */
  private async writeFiles(files: Array<{ path: string; content: string }>): Promise<void> {
    await mkdir(this.paths.dir, { recursive: true, mode: 0o700 });
    await chmod(this.paths.dir, 0o700);
    const keep = new Set(files.map((f) => f.path));
    for (const sub of ['certs', 'bodies', 'errors']) {
      const dir = join(this.paths.dir, sub);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const name of await readdir(dir)) if (!keep.has(`${sub}/${name}`)) await rm(join(dir, name), { force: true });
    }
    for (const f of files) {
      const path = join(this.paths.dir, f.path);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(`${path}.tmp`, f.content, { mode: 0o600 });
      await rename(`${path}.tmp`, path);
    }
  }

  private hostsEntries(): Array<{ address: string; name: string }> {
    return this.config.loadBalancers.filter((lb) => lb.dnsName).map((lb) => ({ address: lb.address, name: lb.dnsName }));
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function key(group: ProxyTargetGroup, target: ProxyTarget): string {
  return `${backendName(group.arn)}/${serverName(target.address, target.port)}`;
}

/** The groups some listener forwards to: only their targets are checked. */
function groupsInUse(config: ProxyConfig): ProxyTargetGroup[] {
  const used = new Set<string>();
  for (const lb of config.loadBalancers) {
    for (const l of lb.listeners) {
      for (const r of l.rules) if (r.action.type === 'forward') for (const g of r.action.targetGroups) used.add(g.arn);
    }
  }
  return config.targetGroups.filter((g) => used.has(g.arn));
}
