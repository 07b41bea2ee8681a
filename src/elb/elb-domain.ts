import type { ProxyCertificate } from '../lb-proxy/proxy-config.js';
import type { Scope } from '../lib/scope.js';
import { readAll, type ElbContext, type ElbDeps } from './context.js';
import { MAX_CERTIFICATES, MAX_LISTENERS, listenerOperations } from './listeners.js';
import { MAX_LOAD_BALANCERS, loadBalancerOperations } from './load-balancers.js';
import { proxyConfigFor } from './proxy-config-for.js';
import { COLLECTIONS, type LoadBalancerRecord, type TargetGroupRecord } from './records.js';
import { MAX_RULES, ruleOperations } from './rules.js';
import { tagOperations } from './tags.js';
import { MAX_TARGETS, MAX_TARGET_GROUPS, targetGroupOperations, type TargetGroupView, type TargetHealthEntry, type TargetInput } from './target-groups.js';

export type { ElbDeps } from './context.js';

/** ELB's account limits as DescribeAccountLimits names them (the defaults minato enforces). */
export const ACCOUNT_LIMITS: ReadonlyArray<{ name: string; max: number }> = [
  { name: 'application-load-balancers', max: MAX_LOAD_BALANCERS },
  { name: 'network-load-balancers', max: MAX_LOAD_BALANCERS },
  { name: 'target-groups', max: MAX_TARGET_GROUPS },
  { name: 'targets-per-target-group', max: MAX_TARGETS },
  { name: 'listeners-per-application-load-balancer', max: MAX_LISTENERS },
  { name: 'listeners-per-network-load-balancer', max: MAX_LISTENERS },
  { name: 'rules-per-application-load-balancer', max: MAX_RULES },
  { name: 'certificates-per-application-load-balancer', max: MAX_CERTIFICATES },
  { name: 'target-groups-per-action-on-application-load-balancer', max: 5 },
  { name: 'condition-values-per-alb-rule', max: 5 },
];

/** The ELB domain as the API and the ECS integration call it. */
export type ElbDomain = ReturnType<typeof createElbDomain>;

/**
 * What ECS services' load balancer integration needs of ELB (the port in control/ is wired to
 * these): a target group's settings, registering and deregistering a task's address and port,
 * and the targets' health as DescribeTargetHealth reports it. Errors are ELB's domain errors
 * (NotFound `target-group`, InvalidArgument `target`, LimitExceeded `targets`).
 */
export interface ElbForServices {
  describeTargetGroup(scope: Scope, targetGroupArn: string): Promise<TargetGroupView>;
  registerTargets(scope: Scope, targetGroupArn: string, targets: readonly TargetInput[]): Promise<void>;
  /** Targets drain for the group's deregistration delay (none when no load balancer uses it). */
  deregisterTargets(scope: Scope, targetGroupArn: string, targets: readonly TargetInput[]): Promise<void>;
  /** All registered targets, or those named (a target not registered: `unused`, Target.NotRegistered). */
  targetHealth(scope: Scope, targetGroupArn: string, targets?: readonly TargetInput[]): Promise<TargetHealthEntry[]>;
}

/**
 * Elastic Load Balancing's control plane. Every change commits its records first, then applies
 * the whole derived state to the data plane (`proxyConfigFor`); a load balancer turns `active`
 * once an apply that included it succeeded. Deregistered targets drain until a persisted time;
 * a timer removes them then, and `start` finishes drains that ended while the platform was down.
 */
export function createElbDomain(deps: ElbDeps) {
  const clock = deps.clock ?? (() => new Date());
  const onError = deps.onError ?? (() => {});
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  /** The drain pass under way, which close waits for (it writes to the store). */
  let draining: Promise<void> = Promise.resolve();

  async function applyOnce(): Promise<void> {
    const records = await readAll(deps.store);
    const material = new Map<string, Omit<ProxyCertificate, 'arn'>>();
    for (const arn of new Set(records.listeners.flatMap((l) => l.certificates.map((c) => c.arn)))) {
      const m = await deps.certificates.material(arn);
      if (m) material.set(arn, m);
    }
    await deps.dataPlane.apply(proxyConfigFor(records, material));
    const applied = new Set(records.loadBalancers.filter((lb) => lb.state === 'provisioning').map((lb) => lb.arn));
    if (applied.size === 0) return;
    await deps.store.transaction(async (tx) => {
      const lbs = tx.collection<LoadBalancerRecord>(COLLECTIONS.loadBalancers);
      for (const arn of applied) {
        const lb = await lbs.get(arn);
        if (lb?.state === 'provisioning') await lbs.put(arn, { ...lb, state: 'active' });
      }
    });
  }

  /** Serialised applies; each reads the records afresh, so the last one carries every change. A failed apply is reported, not thrown: the records stand. */
  function sync(): Promise<void> {
    const run = chain.then(() => applyOnce()).catch((err: unknown) => onError(err, 'applying the load balancers to the data plane'));
    chain = run;
    return run;
  }

  /** Removes targets whose drain ended; returns the next drain end, if any. */
  async function finishDrains(): Promise<number | undefined> {
    const now = clock().getTime();
    let next: number | undefined;
    const changed = await deps.store.transaction(async (tx) => {
      const groups = tx.collection<TargetGroupRecord>(COLLECTIONS.targetGroups);
      let any = false;
      for (const { key, value: tg } of await groups.list()) {
        const kept = tg.targets.filter((t) => t.drainUntil === undefined || t.drainUntil > now);
        for (const t of kept) if (t.drainUntil !== undefined && (next === undefined || t.drainUntil < next)) next = t.drainUntil;
        if (kept.length !== tg.targets.length) {
          any = true;
          await groups.put(key, { ...tg, targets: kept });
        }
      }
      return any;
    });
    if (changed) await sync();
    return next;
  }

  function drainsChanged(): void {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    draining = finishDrains()
      .then((next) => {
        if (next === undefined || closed) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(drainsChanged, Math.max(0, next - clock().getTime()) + 5);
        timer.unref();
      })
      .catch((err: unknown) => onError(err, 'finishing target drains'));
  }

  const ctx: ElbContext = { deps, sync, drainsChanged };
  const listeners = listenerOperations(ctx);
  const targetGroups = targetGroupOperations(ctx);
  const forServices: ElbForServices = {
    describeTargetGroup: (scope, arn) => targetGroups.get(scope, arn),
    registerTargets: (scope, arn, targets) => targetGroups.register(scope, arn, targets),
    deregisterTargets: (scope, arn, targets) => targetGroups.deregister(scope, arn, targets),
    targetHealth: (scope, arn, targets) => targetGroups.health(scope, arn, targets),
  };
  return {
    forServices,
    loadBalancers: loadBalancerOperations(ctx),
    targetGroups,
    listeners,
    rules: ruleOperations(ctx),
    tags: tagOperations(ctx),
    /** DescribeAccountLimits. */
    limits: () => ACCOUNT_LIMITS,
    /** The load balancers using a certificate (ACM's InUseBy). */
    certificateUsers: (certificateArn: string) => listeners.usersOfCertificate(certificateArn),
    /** Finishes drains that ended while down, applies every record, and arms the drain timer. */
    async start(): Promise<void> {
      await finishDrains();
      await sync();
      drainsChanged();
    },
    /** Stops the drain timer and waits for an apply under way (the data plane is its owner's to close). */
    async close(): Promise<void> {
      closed = true;
      if (timer) clearTimeout(timer);
      await draining;
      await chain;
    },
  };
}
