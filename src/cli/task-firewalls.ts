import type { TaskFirewall } from '../agent-contract/task-firewall.js';
import { CLUSTER_MEMBERS } from '../control/clusters/activity.js';
import { membersAt, taskFirewall, type GroupMember, type GroupView, type PlacedMember } from '../control/tasks/security-rules.js';
import type { TaskRecord } from '../control/tasks/task.js';
import type { TaskFirewallSource } from '../control/tasks/vpc-lookup.js';
import { COLLECTIONS, type LoadBalancerRecord } from '../elb/records.js';
import { parseArn } from '../lib/arn.js';
import { TickLoop } from '../lib/tick-loop.js';
import type { Store } from '../store/store.js';
import type { Ec2Network } from '../vpc/network.js';

/** The task networks of this host, as the firewalls need them (CniNetworkManager). */
export interface FirewallNetworks {
  /** The bridge's address: where this host's load balancers reach its tasks from. */
  readonly gateway: string;
  list(): Promise<string[]>;
  setFirewall(taskId: string, firewall: TaskFirewall | undefined): Promise<boolean>;
}

interface Region {
  accountId: string;
  region: string;
}

/** A region's security groups and each group's member addresses, as a task of one host meets them (membersAt). */
interface GroupWorld {
  groups: GroupView[];
  destinations: Map<string, string[]>;
  sources: Map<string, string[]>;
}

/**
 * Security groups enforced on awsvpc tasks. A task is launched with its firewall
 * (TaskFirewallSource); then every tick recomputes each local task's firewall from the groups'
 * rules and their members (tasks with an address, and the load balancers, which reach this host's
 * tasks from the bridge's gateway) and replaces the rules of the tasks whose firewall changed,
 * so Authorize/Revoke and tasks coming and going take effect within a tick. A restart applies
 * every task's firewall again on its first tick. The firewalls of the tasks of container
 * instances are computed here too (`forInstance`), and their agents apply them: the agent
 * protocol carries them, see agent-gateway/agent-orders.ts.
 */
export class TaskFirewalls implements TaskFirewallSource {
  /** What was last applied, by task id. */
  private readonly applied = new Map<string, string>();
  private readonly loop: TickLoop;

  constructor(
    private readonly deps: {
      store: Store;
      ec2: Ec2Network;
      networks: FirewallNetworks;
      onError: (err: unknown) => void;
      intervalMs?: number;
      /**
       * The address this host's load balancers reach a container instance's tasks from (the
       * source of its route to the instance's task subnet); undefined while there is no route,
       * and then a rule naming a load balancer's group admits nothing on that instance.
       */
      loadBalancerSource?: (containerInstanceArn: string) => string | undefined;
    },
  ) {
    this.loop = new TickLoop(() => this.reconcile(), deps.intervalMs ?? 2_000, deps.onError);
  }

  /** {@inheritDoc TaskFirewallSource.forTask} */
  async forTask(task: TaskRecord): Promise<TaskFirewall | undefined> {
    const where = regionOf(task.taskArn);
    if (!where || !task.securityGroupIds) return undefined;
    const world = await this.world(where, await this.unfinishedTasks(), task.containerInstanceArn);
    return taskFirewall(task.securityGroupIds, world.groups, world.destinations, world.sources);
  }

  /** The firewalls of the awsvpc tasks in security groups placed on a container instance and not STOPPED, by task ARN. */
  async forInstance(containerInstanceArn: string): Promise<Map<string, TaskFirewall>> {
    const tasks = await this.unfinishedTasks();
    return this.firewallsOf(tasks.filter((t) => t.securityGroupIds && t.containerInstanceArn === containerInstanceArn), tasks, containerInstanceArn);
  }

  /** Starts reconciling: at once, then every interval (2 s by default). */
  start(): void {
    this.loop.start();
  }

  /** Stops reconciling and waits for a reconcile under way. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Reconciles soon: a task got its address (its peers admit it before its containers start,
   * rather than a tick later), or stopped.
   */
  nudge(): void {
    this.loop.nudge();
  }

  /** Applies the current firewall of every local task in security groups whose firewall changed. */
  async reconcile(): Promise<void> {
    const local = new Set(await this.deps.networks.list());
    for (const id of this.applied.keys()) if (!local.has(id)) this.applied.delete(id);
    if (local.size === 0) return;
    const tasks = await this.unfinishedTasks();
    const mine = tasks.filter((t) => t.securityGroupIds && t.containerInstanceArn === undefined && local.has(t.taskId));
    const firewalls = await this.firewallsOf(mine, tasks, undefined);
    for (const { taskArn, taskId } of mine) {
      const firewall = firewalls.get(taskArn);
      if (!firewall) continue;
      const text = JSON.stringify(firewall);
      if (this.applied.get(taskId) === text) continue;
      if (await this.deps.networks.setFirewall(taskId, firewall)) this.applied.set(taskId, text);
    }
  }

  /** The firewalls of `these` tasks (in groups, all on `host`), by task ARN, with `tasks` the unfinished ones. */
  private async firewallsOf(these: readonly TaskRecord[], tasks: readonly TaskRecord[], host: string | undefined): Promise<Map<string, TaskFirewall>> {
    const worlds = new Map<string, GroupWorld>();
    const out = new Map<string, TaskFirewall>();
    for (const task of these) {
      const where = regionOf(task.taskArn);
      if (!where) continue;
      const key = `${where.accountId}/${where.region}`;
      if (!worlds.has(key)) worlds.set(key, await this.world(where, tasks, host));
      const world = worlds.get(key)!;
      out.set(task.taskArn, taskFirewall(task.securityGroupIds!, world.groups, world.destinations, world.sources));
    }
    return out;
  }

  private async unfinishedTasks(): Promise<TaskRecord[]> {
    return (await this.deps.store.collection<TaskRecord>(CLUSTER_MEMBERS.tasks).list()).map((r) => r.value).filter((t) => t.lastStatus !== 'STOPPED');
  }

  /** The groups of a region and their members as a task on `host` (a container instance; undefined: this host) meets them. */
  private async world(where: Region, tasks: readonly TaskRecord[], host: string | undefined): Promise<GroupWorld> {
    const groups = await this.deps.ec2.run(where, (repo) => repo.groups.all());
    const members: PlacedMember[] = [];
    for (const t of tasks) {
      const w = regionOf(t.taskArn);
      const address = addressOf(t);
      if (t.securityGroupIds && address && w?.accountId === where.accountId && w.region === where.region) {
        members.push({ groupIds: t.securityGroupIds, address, ...(t.containerInstanceArn !== undefined && { containerInstanceArn: t.containerInstanceArn }) });
      }
    }
    const lbAddress = host === undefined ? this.deps.networks.gateway : this.deps.loadBalancerSource?.(host);
    const loadBalancers: GroupMember[] = [];
    for (const { value: lb } of await this.deps.store.collection<LoadBalancerRecord>(COLLECTIONS.loadBalancers).list()) {
      if (lb.accountId === where.accountId && lb.region === where.region && lbAddress !== undefined) loadBalancers.push({ groupIds: lb.securityGroups, address: lbAddress });
    }
    return { groups, ...membersAt(host, members, loadBalancers) };
  }
}

const regionOf = (arn: string): Region | undefined => {
  const parsed = parseArn(arn);
  return parsed && { accountId: parsed.accountId, region: parsed.region };
};

/** An awsvpc task's address, once its network is made (its ENI attachment's details). */
const addressOf = (t: TaskRecord): string | undefined =>
  t.attachments?.flatMap((a) => a.details ?? []).find((d) => d.name === 'privateIPv4Address')?.value;
