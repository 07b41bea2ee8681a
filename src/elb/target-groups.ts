import { isIP } from 'node:net';
import type { Scope } from '../lib/scope.js';
import { applyTargetGroupAttributes, targetGroupAttributeDefaults } from './attributes.js';
import { checkTags, deleteRecord, findRecord, getRecord, pageOfArns, putRecord, readScope, sameJson, type ElbContext } from './context.js';
import { duplicate, elbNotFound, invalidConfiguration, invalidTarget, resourceInUse, tooMany, validation } from './errors.js';
import { applyHealthCheck, defaultHealthCheck, type HealthCheckInput } from './health-check.js';
import { checkTargetGroupName, isVpcId, newResourceId, targetGroupArn } from './names.js';
import { loadBalancersOfGroup } from './proxy-config-for.js';
import type { ElbRecords, LoadBalancerType, Tag, TargetGroupProtocol, TargetGroupRecord, TargetRecord } from './records.js';
import { NOT_REGISTERED, targetHealthOf, type TargetHealthView } from './target-health.js';

export interface CreateTargetGroupInput {
  name: string;
  protocol?: string;
  protocolVersion?: string;
  port?: number;
  vpcId?: string;
  targetType?: string;
  ipAddressType?: string;
  healthCheck: HealthCheckInput;
  tags?: Tag[];
}

/** A target group with the load balancers that forward to it. */
export type TargetGroupView = TargetGroupRecord & { loadBalancerArns: string[] };

/** A target as RegisterTargets, DeregisterTargets and DescribeTargetHealth name it. */
export interface TargetInput {
  id: string;
  port?: number;
  availabilityZone?: string;
}

/** One target's health as DescribeTargetHealth reports it. */
export interface TargetHealthEntry {
  id: string;
  port: number;
  availabilityZone?: string;
  healthCheckPort: string;
  health: TargetHealthView;
}

/** ELB's default quotas: target groups per region, targets per group. */
export const MAX_TARGET_GROUPS = 3000;
export const MAX_TARGETS = 1000;

/** Application target groups speak HTTP(S); the rest are a network load balancer's. */
export const familyOf = (protocol: TargetGroupProtocol): LoadBalancerType => (protocol === 'HTTP' || protocol === 'HTTPS' ? 'application' : 'network');

const viewOf = (records: Pick<ElbRecords, 'listeners' | 'rules'>, tg: TargetGroupRecord): TargetGroupView => ({ ...tg, loadBalancerArns: loadBalancersOfGroup(records, tg.arn) });

const sameTarget = (a: { id: string; port: number }, b: { id: string; port: number }) => a.id === b.id && a.port === b.port;

/** Target groups, their attributes, and their targets' registration, draining and health. */
export function targetGroupOperations(ctx: ElbContext) {
  const { store, dataPlane } = ctx.deps;

  /** The address of a target, or ELB's InvalidTarget. */
  const addressOf = (tg: TargetGroupRecord, id: string): string => {
    if (tg.targetType === 'ip') {
      if (isIP(id) !== 4) throw invalidTarget(`The IP address '${id}' is not a valid IPv4 address`);
      return id;
    }
    const address = ctx.deps.instanceAddress(id);
    if (address === undefined) throw invalidTarget(`The following targets are not valid instances: '${id}'`);
    return address;
  };

  const resolve = (tg: TargetGroupRecord, targets: readonly TargetInput[]) => targets.map((t) => ({ id: t.id, port: t.port ?? tg.port, ...(t.availabilityZone !== undefined && { availabilityZone: t.availabilityZone }) }));

  return {
    /** CreateTargetGroup; the same settings again return the same group, as in AWS. */
    async create(scope: Scope, input: CreateTargetGroupInput): Promise<TargetGroupView> {
      checkTargetGroupName(input.name);
      const targetType = input.targetType ?? 'instance';
      if (targetType !== 'instance' && targetType !== 'ip') throw invalidConfiguration(`Target type '${targetType}' is not supported by this endpoint: use 'instance' or 'ip'`);
      if (input.protocol === undefined) throw validation('A protocol must be specified');
      if (input.port === undefined) throw validation('A port must be specified');
      if (input.vpcId === undefined) throw validation('A VPC ID must be specified');
      if (!isVpcId(input.vpcId)) throw validation(`The VPC ID '${input.vpcId}' is not found`);
      const protocol = input.protocol as TargetGroupProtocol;
      if (protocol === 'UDP' || protocol === 'TCP_UDP' || (protocol as string) === 'GENEVE') throw invalidConfiguration(`Protocol '${protocol}' is not supported by this endpoint: its load balancers proxy TCP, TLS, HTTP and HTTPS`);
      if ((input.ipAddressType ?? 'ipv4') !== 'ipv4') throw invalidConfiguration('Only the ipv4 address type is supported');
      const family = familyOf(protocol);
      if (input.protocolVersion !== undefined && family !== 'application') throw validation('A protocol version can only be specified for HTTP and HTTPS target groups');
      const protocolVersion = family === 'application' ? ((input.protocolVersion ?? 'HTTP1') as TargetGroupRecord['protocolVersion']) : undefined;
      const healthCheck = applyHealthCheck(defaultHealthCheck(protocol, protocolVersion), input.healthCheck, protocol);
      const tags = checkTags(input.tags);
      return store.transaction(async (tx) => {
        const records = await readScope(tx, scope);
        const settings = (tg: Pick<TargetGroupRecord, 'protocol' | 'port' | 'vpcId' | 'targetType' | 'healthCheck'>) => [tg.protocol, tg.port, tg.vpcId, tg.targetType, tg.healthCheck];
        const same = records.targetGroups.find((tg) => tg.name.toLowerCase() === input.name.toLowerCase());
        if (same) {
          if (sameJson(settings(same), settings({ protocol, port: input.port!, vpcId: input.vpcId!, targetType, healthCheck }))) return viewOf(records, same);
          throw duplicate('target-group', 'A target group with the same name exists, but with different settings');
        }
        if (records.targetGroups.length >= MAX_TARGET_GROUPS) throw tooMany('target-groups', 'The maximum number of target groups has been reached');
        const record: TargetGroupRecord = {
          arn: targetGroupArn(scope.region, scope.accountId, input.name, newResourceId()),
          accountId: scope.accountId,
          region: scope.region,
          name: input.name,
          targetType,
          protocol,
          ...(protocolVersion !== undefined && { protocolVersion }),
          port: input.port!,
          vpcId: input.vpcId!,
          ipAddressType: 'ipv4',
          healthCheck,
          attributes: targetGroupAttributeDefaults(family),
          targets: [],
          createdTime: scope.now.getTime(),
          tags,
        };
        await putRecord(tx, 'target-group', record);
        return { ...record, loadBalancerArns: [] };
      }).finally(() => ctx.sync());
    },

    /** DescribeTargetGroups: by ARNs, by names, by load balancer, or all of the region. */
    async describe(scope: Scope, filter: { loadBalancerArn?: string; arns?: string[]; names?: string[]; marker?: string; pageSize?: number }) {
      const given = [filter.loadBalancerArn !== undefined, !!filter.arns?.length, !!filter.names?.length].filter(Boolean).length;
      if (given > 1) throw validation('Only one of target group ARNs, names or a load balancer ARN can be specified');
      const records = await readScope(store, scope);
      let chosen = records.targetGroups;
      if (filter.loadBalancerArn !== undefined) {
        await getRecord(store, scope, 'load-balancer', filter.loadBalancerArn);
        chosen = chosen.filter((tg) => loadBalancersOfGroup(records, tg.arn).includes(filter.loadBalancerArn!));
      } else if (filter.arns?.length) {
        for (const arn of filter.arns) await getRecord(store, scope, 'target-group', arn);
        chosen = chosen.filter((tg) => filter.arns!.includes(tg.arn));
      } else if (filter.names?.length) {
        const missing = filter.names.filter((n) => !chosen.some((tg) => tg.name === n));
        if (missing.length > 0) throw elbNotFound('target-group', `Target groups '[${missing.join(', ')}]' not found`);
        chosen = chosen.filter((tg) => filter.names!.includes(tg.name));
      }
      const page = pageOfArns('elb-target-groups', chosen, filter.marker, filter.pageSize);
      return { ...page, items: page.items.map((tg) => viewOf(records, tg)) };
    },

    /** One target group (the ECS integration reads its port, protocol and type). */
    async get(scope: Scope, arn: string): Promise<TargetGroupView> {
      const records = await readScope(store, scope);
      return viewOf(records, await getRecord(store, scope, 'target-group', arn));
    },

    async modify(scope: Scope, arn: string, healthCheck: HealthCheckInput): Promise<TargetGroupView> {
      return store.transaction(async (tx) => {
        const tg = await getRecord(tx, scope, 'target-group', arn);
        tg.healthCheck = applyHealthCheck(tg.healthCheck, healthCheck, tg.protocol);
        await putRecord(tx, 'target-group', tg);
        return viewOf(await readScope(tx, scope), tg);
      }).finally(() => ctx.sync());
    },

    /** DeleteTargetGroup: refused while a listener or rule forwards to it; an unknown group is already gone. */
    async delete(scope: Scope, arn: string): Promise<void> {
      await store.transaction(async (tx) => {
        const records = await readScope(tx, scope);
        const tg = records.targetGroups.find((t) => t.arn === arn);
        if (!tg) {
          // A malformed ARN is still a ValidationError.
          await findRecord(tx, scope, 'target-group', arn);
          return;
        }
        if (loadBalancersOfGroup(records, arn).length > 0) throw resourceInUse(`Target group '${arn}' is currently in use by a listener or a rule`);
        await deleteRecord(tx, 'target-group', arn);
      });
      await ctx.sync();
      ctx.drainsChanged();
    },

    async attributes(scope: Scope, arn: string): Promise<Record<string, string>> {
      return (await getRecord(store, scope, 'target-group', arn)).attributes;
    },

    async modifyAttributes(scope: Scope, arn: string, changes: Array<{ Key?: string; Value?: string }>): Promise<Record<string, string>> {
      return store.transaction(async (tx) => {
        const tg = await getRecord(tx, scope, 'target-group', arn);
        tg.attributes = applyTargetGroupAttributes(familyOf(tg.protocol), tg.attributes, changes);
        await putRecord(tx, 'target-group', tg);
        return tg.attributes;
      }).finally(() => ctx.sync());
    },

    /** RegisterTargets: new targets start `initial`; a draining one is taken back. */
    async register(scope: Scope, arn: string, targets: readonly TargetInput[]): Promise<void> {
      await store.transaction(async (tx) => {
        const tg = await getRecord(tx, scope, 'target-group', arn);
        for (const t of resolve(tg, targets)) {
          const address = addressOf(tg, t.id);
          const existing = tg.targets.find((r) => sameTarget(r, t));
          if (existing) {
            delete existing.drainUntil;
            existing.address = address;
            continue;
          }
          if (tg.targets.length >= MAX_TARGETS) throw tooMany('targets', `You've reached the limit on the number of targets (${MAX_TARGETS}) of a target group`);
          tg.targets.push({ ...t, address });
        }
        await putRecord(tx, 'target-group', tg);
      });
      await ctx.sync();
      ctx.drainsChanged();
    },

    /**
     * DeregisterTargets: each target drains for the group's deregistration delay (its end is
     * persisted; the drain timer removes it), or leaves at once when no load balancer uses the
     * group or the delay is 0.
     */
    async deregister(scope: Scope, arn: string, targets: readonly TargetInput[]): Promise<void> {
      await store.transaction(async (tx) => {
        const records = await readScope(tx, scope);
        const tg = await getRecord(tx, scope, 'target-group', arn);
        const delayMs = Number(tg.attributes['deregistration_delay.timeout_seconds'] ?? 300) * 1000;
        const inUse = loadBalancersOfGroup(records, arn).length > 0;
        const wanted = resolve(tg, targets);
        const missing = wanted.filter((t) => !tg.targets.some((r) => sameTarget(r, t)));
        if (missing.length > 0) throw invalidTarget(`The following targets are not registered in target group '${arn}': ${missing.map((t) => `'${t.id}'`).join(', ')}`);
        tg.targets = tg.targets.flatMap((r): TargetRecord[] => {
          if (!wanted.some((t) => sameTarget(r, t))) return [r];
          if (!inUse || delayMs === 0) return [];
          return [{ ...r, drainUntil: r.drainUntil ?? scope.now.getTime() + delayMs }];
        });
        await putRecord(tx, 'target-group', tg);
      });
      await ctx.sync();
      ctx.drainsChanged();
    },

    /** DescribeTargetHealth: the registered targets (or those named) with the record's state and the data plane's observations. */
    async health(scope: Scope, arn: string, targets?: readonly TargetInput[]): Promise<TargetHealthEntry[]> {
      const records = await readScope(store, scope);
      const tg = await getRecord(store, scope, 'target-group', arn);
      const inUse = loadBalancersOfGroup(records, arn).length > 0;
      const observed = dataPlane.targetHealth(arn);
      const healthCheckPort = (port: number) => (tg.healthCheck.port === 'traffic-port' ? String(port) : tg.healthCheck.port);
      const entry = (t: TargetRecord): TargetHealthEntry => ({
        id: t.id,
        port: t.port,
        ...(t.availabilityZone !== undefined && { availabilityZone: t.availabilityZone }),
        healthCheckPort: healthCheckPort(t.port),
        health: targetHealthOf(tg, t, inUse, observed),
      });
      if (!targets || targets.length === 0) return tg.targets.map(entry);
      return resolve(tg, targets).map((t) => {
        const registered = tg.targets.find((r) => sameTarget(r, t));
        if (registered) return entry(registered);
        addressOf(tg, t.id);
        return { id: t.id, port: t.port, healthCheckPort: healthCheckPort(t.port), health: NOT_REGISTERED };
      });
    },
  };
}
