import { execFile as execFileCb } from 'node:child_process';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isIPv4 } from 'node:net';
import { planSubnetRoutes, routeChanges, type RoutedInstance, type SubnetRoute } from './subnet-routes.js';

/** What an `ip` command left: its exit code and output. */
export interface IpResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ip` with the arguments (no shell). */
export type RunIp = (args: readonly string[]) => Promise<IpResult>;

const runIp: RunIp = (args) =>
  new Promise((resolve) => {
    execFileCb('ip', [...args], { timeout: 10_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr: err && !stderr ? err.message : stderr });
    });
  });

/** A container instance as the route table reads it: what the plan needs, and its ids. */
export interface AddressedInstance extends RoutedInstance {
  /** The container instance id (the last part of its ARN) and its EC2 instance id: instance target ids. */
  ids: readonly string[];
}

/** How the route table is set up. */
export interface SubnetRouteTableOptions {
  /** The routes this control host has added, recorded before each is added (crash safety). */
  stateFile: string;
  /** Every container instance of every cluster. */
  instances: () => Promise<AddressedInstance[]>;
  /** The control host's own subnets (its task subnet, the load balancers'): never routed to an agent. */
  own: readonly string[];
  log: { warn(details: object, message: string): void; info(details: object, message: string): void };
  ip?: RunIp;
}

/** Whether `ip -4 route get` says the address is on a directly connected link (no gateway on the way). */
export function onLink(routeGet: string): boolean {
  const first = routeGet.split('\n')[0] ?? '';
  return /\bdev \S+/.test(first) && !/\bvia\b/.test(first) && !/^(local|unreachable|prohibit|blackhole)\b/.test(first.trim());
}

/** The `src` of `ip -4 route get` output: the address this host sends from toward the destination. */
export function routeSource(routeGet: string): string | undefined {
  const src = /\bsrc (\d{1,3}(?:\.\d{1,3}){3})\b/.exec(routeGet.split('\n')[0] ?? '')?.[1];
  return src !== undefined && isIPv4(src) ? src : undefined;
}

/**
 * The control host's routes to its agents' task subnets (subnet-routes.ts is the plan), so that
 * its load balancers and health checks reach `ip` targets on other hosts; and each instance's
 * address, so that they reach `instance` targets at the host port. Level-triggered: every
 * `reconcile` reads the instances and brings the kernel's table to the plan. A route is recorded
 * in the state file before it is added and dropped from it after it is removed, so a restart (or a
 * crash) finds every route this control host may have left and removes those no longer wanted;
 * routes it did not add are never touched.
 */
export class SubnetRouteTable {
  private addresses = new Map<string, string>();
  /** This host's source address on the route to each routed instance address. */
  private sources = new Map<string, string>();
  private readonly reported = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly ip: RunIp;

  constructor(private readonly opts: SubnetRouteTableOptions) {
    this.ip = opts.ip ?? runIp;
  }

  /** The address of the instance an instance target names (by container or EC2 instance id), if known. */
  addressOf(id: string): string | undefined {
    return this.addresses.get(id);
  }

  /**
   * The address this host's own connections to the tasks of an instance (by container or EC2
   * instance id) leave from: the source of its route to them. The tasks see this host's load
   * balancers, and its tasks (masqueraded), come from it. Undefined when the instance is not routed.
   */
  sourceToward(id: string): string | undefined {
    const address = this.addresses.get(id);
    return address === undefined ? undefined : this.sources.get(address);
  }

  /** Reconciles now and then every `intervalMs`; errors go to the log. */
  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.reconcile().catch((err: unknown) => this.opts.log.warn({ err }, 'reconciling the routes to agents failed')), intervalMs);
    this.timer.unref();
  }

  /** Brings the addresses and the routes to what the instances ask for (one pass at a time). */
  reconcile(): Promise<void> {
    const pass = this.running.then(() => this.pass());
    this.running = pass.catch(() => undefined);
    return pass;
  }

  /** Stops reconciling and removes every route recorded (the control host is going away). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    const pass = this.running.then(() => this.apply([]));
    this.running = pass.catch(() => undefined);
    await pass;
    await rm(this.opts.stateFile, { force: true });
  }

  private async pass(): Promise<void> {
    const instances = await this.opts.instances();
    const addresses = new Map<string, string>();
    for (const i of instances) if (i.registered && i.address !== undefined) for (const id of i.ids) addresses.set(id, i.address);
    this.addresses = addresses;
    const plan = planSubnetRoutes(instances, this.opts.own);
    for (const s of plan.skipped) this.reportOnce(s.containerInstanceArn, s.reason);
    const wanted: SubnetRoute[] = [];
    const sources = new Map<string, string>();
    for (const r of plan.routes) {
      const got = await this.ip(['-4', 'route', 'get', r.via]);
      if (got.code === 0 && onLink(got.stdout)) {
        wanted.push(r);
        const src = routeSource(got.stdout);
        if (src !== undefined) sources.set(r.via, src);
      } else this.reportOnce(r.via, `no route to its task subnet ${r.subnet}: its address ${r.via} is not on a directly connected link`);
    }
    this.sources = sources;
    await this.apply(wanted);
  }

  private async apply(wanted: readonly SubnetRoute[]): Promise<void> {
    let recorded = await this.recorded();
    const { add, remove } = routeChanges(recorded, wanted);
    for (const r of remove) {
      const del = await this.ip(['route', 'del', r.subnet, 'via', r.via]);
      if (del.code !== 0 && !/No such process|not found/i.test(del.stderr)) throw new Error(`ip route del ${r.subnet} via ${r.via} failed: ${del.stderr.trim()}`);
      recorded = recorded.filter((x) => x !== r);
      await this.record(recorded);
      this.opts.log.info({ subnet: r.subnet, via: r.via }, 'route to an agent\'s task subnet removed');
    }
    for (const r of add) {
      // Recorded first: a crash right after the add still finds it.
      recorded = [...recorded, r];
      await this.record(recorded);
      const added = await this.ip(['route', 'add', r.subnet, 'via', r.via]);
      if (added.code === 0) {
        this.opts.log.info({ subnet: r.subnet, via: r.via }, 'route to an agent\'s task subnet added');
        continue;
      }
      // Someone else's route (or one of ours a crash left with its record lost) is not taken over
      // unless it is exactly this one.
      const existing = await this.ip(['-4', 'route', 'show', 'exact', r.subnet]);
      if (!existing.stdout.includes(`via ${r.via} `)) {
        recorded = recorded.filter((x) => x !== r);
        await this.record(recorded);
        this.reportOnce(`${r.subnet} ${r.via}`, `no route to ${r.subnet} via ${r.via}: ${added.stderr.trim()}`);
      }
    }
  }

  private reportOnce(key: string, reason: string): void {
    if (this.reported.has(`${key} ${reason}`)) return;
    this.reported.add(`${key} ${reason}`);
    this.opts.log.warn({ instance: key }, `an agent's tasks are not reachable from this host: ${reason}`);
  }

  private async recorded(): Promise<SubnetRoute[]> {
    const text = await readFile(this.opts.stateFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '{"routes":[]}';
      throw err;
    });
    const routes = (JSON.parse(text) as { routes?: SubnetRoute[] }).routes ?? [];
    return routes.filter((r) => typeof r.subnet === 'string' && typeof r.via === 'string');
  }

  private async record(routes: readonly SubnetRoute[]): Promise<void> {
    await mkdir(dirname(this.opts.stateFile), { recursive: true, mode: 0o700 });
    const tmp = `${this.opts.stateFile}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ routes }, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.opts.stateFile);
  }
}
