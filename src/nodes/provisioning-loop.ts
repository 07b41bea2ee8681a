/**
 * The provisioning loop: periodically (and when nudged) it collects, per EC2-style capacity
 * provider with managed scaling ENABLED, the service tasks that could not be placed, plans new
 * capacity with the provisioner over the catalog of the cluster's region, records the plan in
 * the services' events and has the node provider start the nodes.
 *
 * Nodes still launching count as capacity, so the same demand never launches twice. A node that
 * has not joined by the end of the provider's `instanceWarmupPeriod` is taken as failed: it is
 * stopped and no longer counted, so the next tick plans again.
 */
import { TickLoop } from '../lib/tick-loop.js';
import type { CapacityType } from '../capacity/types.js';
import { type Arch, type Offering, type PendingTask } from '../capacity/types.js';
import { parseArn } from '../lib/arn.js';
import type { Scope } from '../lib/scope.js';
import type { CapacityProviderRecord } from '../control/capacity-providers/capacity-provider.js';
import { CapacityProviderStatus, isFargateProvider, providerGroupName } from '../control/capacity-providers/capacity-provider.js';
import { CAPACITY_GROUP_ATTRIBUTE } from '../control/container-instances/container-instance.js';
import type { ServiceRecord } from '../control/services/service.js';
import type { ControlPlaneReads } from './control-plane-reads.js';
import { capacityTypeOf, pendingTasksOf, serviceDemand, type ServiceDemand } from './demand.js';
import { NODE_ATTRIBUTE, type NodeInfo, type NodeProvider } from './node-provider.js';
import { decideScaleOut, nodeOfInstance, nodeOfLaunching } from './scale-out.js';

/** What the loop works with. */
export interface ProvisioningDeps {
  /** The control plane's services, tasks, providers and instances. */
  control: ControlPlaneReads;
  provider: NodeProvider;
  /** Every offering of a region (the shipped catalog); the loop keeps those the provider can run. */
  offerings(region: string): readonly Offering[];
  /** Default 2 s. */
  tickMs?: number;
  clock?: () => Date;
  onError?: (err: unknown) => void;
  /** Scaling news beside the service events (launches, failed nodes). */
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/** A managed provider as the loop uses it. */
interface Managed {
  record: CapacityProviderRecord;
  group: string;
  capacityType: CapacityType;
}

/** ECS's default instanceWarmupPeriod (seconds). */
const DEFAULT_WARMUP_S = 300;

/** Keeps managed-scaling capacity providers supplied with nodes. */
export class ProvisioningLoop {
  private readonly clock: () => Date;
  private readonly loop: TickLoop;
  /** The last "unable to scale out" message per service, so that it is said once. */
  private readonly said = new Map<string, string>();

  constructor(private readonly deps: ProvisioningDeps) {
    this.loop = new TickLoop(() => this.tick(), deps.tickMs ?? 2000, deps.onError);
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Starts ticking. */
  start(): void {
    this.loop.start();
  }

  /** Stops ticking and waits for a tick under way. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Asks for a tick soon (a service changed or a placement failed). */
  nudge(): void {
    this.loop.nudge();
  }

  /** One pass over every service (the loop calls it; tests may too). */
  async tick(): Promise<void> {
    const now = this.clock();
    const providers = new Map<string, Promise<Managed | undefined>>();
    const managed = (region: string, accountId: string, name: string) => {
      const key = `${accountId}/${region}/${name}`;
      if (!providers.has(key)) providers.set(key, this.managed({ accountId, region, principalArn: `arn:aws:iam::${accountId}:root`, now }, name));
      return providers.get(key)!;
    };
    await this.retireLate(now, managed);
    const services = await this.deps.control.activeServices();
    const byCluster = new Map<string, ServiceRecord[]>();
    for (const s of services) byCluster.set(s.clusterArn, [...(byCluster.get(s.clusterArn) ?? []), s]);
    for (const [clusterArn, list] of byCluster) {
      const accountId = parseArn(clusterArn)?.accountId ?? '';
      const region = list[0]!.region;
      const tasks = await this.deps.control.clusterTasks(clusterArn);
      // Which providers are managed is async; the demand function wants a predicate.
      const names = new Set(list.flatMap((s) => s.deployments.flatMap((d) => (d.capacityProviderStrategy ?? []).map((i) => i.capacityProvider ?? ''))));
      const known = new Map<string, Managed>();
      for (const name of names) {
        if (isFargateProvider(name) || name === '') continue;
        const m = await managed(region, accountId, name);
        if (m) known.set(name, m);
      }
      const demands = list.flatMap((s) => serviceDemand(s, tasks, (n) => known.has(n)));
      for (const [name, m] of known) {
        const mine = demands.filter((d) => d.providerName === name);
        if (mine.length === 0) continue;
        try {
          await this.scaleOut({ accountId, region, principalArn: `arn:aws:iam::${accountId}:root`, now }, clusterArn, m, mine);
        } catch (err) {
          this.deps.onError?.(err);
        }
      }
    }
  }

  /** The provider as the loop uses it, when it is an ACTIVE EC2-style provider with managed scaling ENABLED. */
  private async managed(scope: Scope, name: string): Promise<Managed | undefined> {
    const record = await this.deps.control.capacityProvider(scope, name);
    const group = record ? providerGroupName(record) : '';
    if (!record || record.status !== CapacityProviderStatus.Active || record.autoScalingGroupProvider?.managedScaling.status !== 'ENABLED' || group === '') return undefined;
    const tags = await this.deps.control.tagsOf(record.capacityProviderArn);
    return { record, group, capacityType: capacityTypeOf(name, tags) };
  }

  /** Stops nodes that did not join within their provider's warm-up period. */
  private async retireLate(now: Date, managed: (region: string, accountId: string, name: string) => Promise<Managed | undefined>): Promise<void> {
    const joined = new Set<string>();
    const clusters = new Set(this.deps.provider.nodes().map((n) => n.clusterArn));
    for (const c of clusters) for (const i of await this.deps.control.instances(c)) if (i.attributes[NODE_ATTRIBUTE]) joined.add(i.attributes[NODE_ATTRIBUTE]!);
    for (const n of this.deps.provider.nodes()) {
      if (joined.has(n.id)) continue;
      const m = await managed(n.region, parseArn(n.clusterArn)?.accountId ?? '', n.providerName);
      const warmupS = m?.record.autoScalingGroupProvider?.managedScaling.instanceWarmupPeriod ?? DEFAULT_WARMUP_S;
      if (now.getTime() - n.launchedAt < warmupS * 1000) continue;
      this.deps.log?.('node did not join within its warm-up period; stopping it', { node: n.id, provider: n.providerName, warmupSeconds: warmupS });
      await this.deps.provider.terminate(n.id);
    }
  }

  /** Plans and launches for one provider of one cluster. */
  private async scaleOut(scope: Scope, clusterArn: string, m: Managed, demands: ServiceDemand[]): Promise<void> {
    const arches = new Set<string>(this.deps.provider.architectures);
    const snapshot = await this.deps.control.instances(clusterArn);
    const instances = snapshot.filter((i) => i.attributes[CAPACITY_GROUP_ATTRIBUTE] === m.group && i.status === 'ACTIVE' && i.agentConnected);
    const joined = new Set(snapshot.map((i) => i.attributes[NODE_ATTRIBUTE]).filter((id): id is string => id !== undefined));
    const all = this.deps.provider.nodes();
    const launching = all.filter((n) => n.clusterArn === clusterArn && n.group === m.group && !joined.has(n.id));
    const arch = (this.deps.provider.architectures[0] ?? 'x86_64') as Arch;
    const tasks: PendingTask[] = [];
    for (const d of demands) tasks.push(...pendingTasksOf(d, await this.deps.control.taskDefinition(scope, d.taskDefinition), m.capacityType));
    const scaling = m.record.autoScalingGroupProvider!.managedScaling;
    const decision = decideScaleOut({
      providerName: m.record.name,
      group: m.group,
      steps: { minimumScalingStepSize: scaling.minimumScalingStepSize, maximumScalingStepSize: scaling.maximumScalingStepSize },
      tasks,
      existing: [
        ...instances.map((i) => nodeOfInstance(i, (i.attributes['ecs.cpu-architecture'] ?? arch) as Arch, m.capacityType)),
        ...launching.map((n) => nodeOfLaunching(n, arch)),
      ],
      offerings: this.deps.offerings(scope.region).filter((o) => arches.has(o.type.arch) && o.capacityType === m.capacityType),
      room: this.deps.provider.maxNodes - all.length,
    });
    const events = new Map<string, string[]>();
    for (const e of decision.events) {
      const key = `${clusterArn}/${e.serviceName}`;
      // A launch is always news; being unable to scale is said once until something changes.
      if (decision.launches.length === 0 && this.said.get(key) === e.message) continue;
      if (decision.launches.length === 0) this.said.set(key, e.message);
      else this.said.delete(key);
      events.set(e.serviceName, [...(events.get(e.serviceName) ?? []), e.message]);
    }
    for (const [serviceName, messages] of events) await this.deps.control.appendServiceEvents(clusterArn, serviceName, messages, scope.now);
    for (const l of decision.launches) {
      for (let k = 0; k < l.count; k++) {
        const node: NodeInfo = await this.deps.provider.launch({
          clusterArn,
          region: scope.region,
          providerName: m.record.name,
          group: m.group,
          instanceType: l.offering.type.name,
          zone: l.offering.zone,
          capacityType: l.offering.capacityType,
          cpu: l.offering.allocatable.cpu,
          memoryMiB: l.offering.allocatable.memoryMiB,
        });
        this.deps.log?.('launched a node', { node: node.id, provider: m.record.name, instanceType: node.instanceType, zone: node.zone });
      }
    }
  }
}
