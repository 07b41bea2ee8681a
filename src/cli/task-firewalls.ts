import type { TaskFirewall } from '../agent-contract/task-firewall.js';
import { CLUSTER_MEMBERS } from '../control/clusters/activity.js';
import { groupMembers, taskFirewall, type GroupMember, type GroupView } from '../control/tasks/security-rules.js';
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

/** A region's security groups and each group's member addresses. */
interface GroupWorld {
  groups: GroupView[];
  members: Map<string, string[]>;
}

/**
 * Security groups enforced on the awsvpc tasks this host runs. A task is launched with its
 * firewall (TaskFirewallSource); then every tick recomputes each local task's firewall from the
 * groups' rules and their members (tasks with an address, and the load balancers, which reach
 * tasks from the bridge's gateway) and replaces the rules of the tasks whose firewall changed,
 * so Authorize/Revoke and tasks coming and going take effect within a tick. A restart applies
 * every task's firewall again on its first tick.
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
    },
  ) {
    this.loop = new TickLoop(() => this.reconcile(), deps.intervalMs ?? 2_000, deps.onError);
  }

  /** {@inheritDoc TaskFirewallSource.forTask} */
  async forTask(task: TaskRecord): Promise<TaskFirewall | undefined> {
    const where = regionOf(task.taskArn);
    if (!where || !task.securityGroupIds) return undefined;
    const world = await this.world(where, await this.unfinishedTasks());
    return taskFirewall(task.securityGroupIds, world.groups, world.members);
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
    const worlds = new Map<string, GroupWorld>();
    for (const task of mine) {
      const where = regionOf(task.taskArn);
      if (!where) continue;
      const key = `${where.accountId}/${where.region}`;
      if (!worlds.has(key)) worlds.set(key, await this.world(where, tasks));
      const world = worlds.get(key)!;
      const firewall = taskFirewall(task.securityGroupIds!, world.groups, world.members);
      const text = JSON.stringify(firewall);
      if (this.applied.get(task.taskId) === text) continue;
      if (await this.deps.networks.setFirewall(task.taskId, firewall)) this.applied.set(task.taskId, text);
    }
  }

  private async unfinishedTasks(): Promise<TaskRecord[]> {
    return (await this.deps.store.collection<TaskRecord>(CLUSTER_MEMBERS.tasks).list()).map((r) => r.value).filter((t) => t.lastStatus !== 'STOPPED');
  }

  private async world(where: Region, tasks: readonly TaskRecord[]): Promise<GroupWorld> {
    const groups = await this.deps.ec2.run(where, (repo) => repo.groups.all());
    const members: GroupMember[] = [];
    for (const t of tasks) {
      const w = regionOf(t.taskArn);
      const address = addressOf(t);
      if (t.securityGroupIds && address && w?.accountId === where.accountId && w.region === where.region) members.push({ groupIds: t.securityGroupIds, address });
    }
    for (const { value: lb } of await this.deps.store.collection<LoadBalancerRecord>(COLLECTIONS.loadBalancers).list()) {
      if (lb.accountId === where.accountId && lb.region === where.region) members.push({ groupIds: lb.securityGroups, address: this.deps.networks.gateway });
    }
    return { groups, members: groupMembers(members) };
  }
}

const regionOf = (arn: string): Region | undefined => {
  const parsed = parseArn(arn);
  return parsed && { accountId: parsed.accountId, region: parsed.region };
};

/** An awsvpc task's address, once its network is made (its ENI attachment's details). */
const addressOf = (t: TaskRecord): string | undefined =>
  t.attachments?.flatMap((a) => a.details ?? []).find((d) => d.name === 'privateIPv4Address')?.value;
