import { defaultVpcSecurityGroupId } from '../lib/zones.js';
import { DomainError, ErrorKind } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';
import { allocateAddress } from './addresses.js';
import { applyLoadBalancerAttributes, loadBalancerAttributeDefaults } from './attributes.js';
import { checkTags, deleteRecord, getRecord, pageOfArns, putRecord, readAll, readScope, sameJson, type ElbContext } from './context.js';
import { duplicate, elbNotFound, invalidConfiguration, notPermitted, tooMany, validation } from './errors.js';
import { checkLoadBalancerName, defaultVpcId, dnsNameOf, isSecurityGroupId, isSubnetId, listenerPrefix, loadBalancerArn, newResourceId, zoneOfSubnet } from './names.js';
import { COLLECTIONS, type LoadBalancerRecord, type LoadBalancerType, type RuleRecord, type Tag } from './records.js';

export interface CreateLoadBalancerInput {
  name: string;
  type?: string;
  scheme?: string;
  subnets?: string[];
  subnetMappings?: Array<{ SubnetId?: string; AllocationId?: string; PrivateIPv4Address?: string; IPv6Address?: string }>;
  securityGroups?: string[];
  ipAddressType?: string;
  customerOwnedIpv4Pool?: string;
  tags?: Tag[];
}

/** ELB's default quota of each kind of load balancer per region. */
export const MAX_LOAD_BALANCERS = 50;

const invalidSubnet = (message: string) => new DomainError(ErrorKind.InvalidArgument, message, 'subnet');
const invalidSecurityGroup = (message: string) => new DomainError(ErrorKind.InvalidArgument, message, 'security-group');

/**
 * Subnets and security groups are taken by well-formed id (subnet-…, sg-…), not looked up in the
 * EC2 API; each subnet's zone is a pure function of its id (the zone EC2 gives it too), and the
 * VPC is the account's default one of the region.
 * An application load balancer needs two subnets, a network one at least one, as in AWS.
 */
function placement(scope: Scope, type: LoadBalancerType, input: CreateLoadBalancerInput) {
  if (input.subnets && input.subnetMappings) throw validation('You can specify subnets or subnet mappings, not both');
  const mappings: NonNullable<CreateLoadBalancerInput['subnetMappings']> = input.subnetMappings ?? (input.subnets ?? []).map((SubnetId) => ({ SubnetId }));
  for (const m of mappings) {
    if (m.AllocationId !== undefined || m.PrivateIPv4Address !== undefined || m.IPv6Address !== undefined) {
      throw invalidConfiguration('Subnet mappings with an Elastic IP allocation or a fixed address are not supported: minato assigns each load balancer an address of its load-balancer subnet');
    }
    if (!m.SubnetId || !isSubnetId(m.SubnetId)) throw invalidSubnet(`The subnet ID '${m.SubnetId ?? ''}' is not valid`);
  }
  const ids = [...new Set(mappings.map((m) => m.SubnetId!))];
  if (type === 'application' && ids.length < 2) throw validation('At least two subnets in two different Availability Zones must be specified');
  if (ids.length === 0) throw validation('At least one subnet must be specified');
  const groups = input.securityGroups ?? [];
  for (const sg of groups) if (!isSecurityGroupId(sg)) throw invalidSecurityGroup(`Invalid security group '${sg}'`);
  const vpcId = defaultVpcId(scope.accountId, scope.region);
  // An application load balancer without security groups gets the VPC's default group, as in AWS.
  const securityGroups = groups.length > 0 || type === 'network' ? [...new Set(groups)] : [defaultVpcSecurityGroupId(vpcId)];
  return { vpcId, securityGroups, zones: ids.map((subnetId) => ({ zoneName: zoneOfSubnet(scope.region, subnetId), subnetId })) };
}

/** CreateLoadBalancer, Describe/Delete and the attributes. */
export function loadBalancerOperations(ctx: ElbContext) {
  const store = ctx.deps.store;
  return {
    /** Creates a load balancer (`provisioning`, `active` once the data plane applied it); the same settings again return the same one. */
    async create(scope: Scope, input: CreateLoadBalancerInput): Promise<LoadBalancerRecord> {
      checkLoadBalancerName(input.name);
      const type = (input.type ?? 'application') as LoadBalancerType;
      if (type !== 'application' && type !== 'network') throw invalidConfiguration(`Load balancers of type '${input.type ?? ''}' are not supported by this endpoint`);
      const scheme = (input.scheme ?? 'internet-facing') as LoadBalancerRecord['scheme'];
      if ((input.ipAddressType ?? 'ipv4') !== 'ipv4') throw invalidConfiguration('Only the ipv4 address type is supported: load balancers get an IPv4 address of the load-balancer subnet');
      if (input.customerOwnedIpv4Pool !== undefined) throw invalidConfiguration('Customer-owned address pools are not supported');
      const place = placement(scope, type, input);
      const tags = checkTags(input.tags);
      const created = await store.transaction(async (tx) => {
        const all = await readAll(tx);
        const mine = all.loadBalancers.filter((lb) => lb.accountId === scope.accountId && lb.region === scope.region);
        const same = mine.find((lb) => lb.name.toLowerCase() === input.name.toLowerCase());
        if (same) {
          if (same.type === type && same.scheme === scheme && sameJson(same.zones, place.zones) && sameJson(same.securityGroups, place.securityGroups)) return same;
          throw duplicate('load-balancer', 'A load balancer with the same name exists, but with different settings');
        }
        if (mine.filter((lb) => lb.type === type).length >= MAX_LOAD_BALANCERS) throw tooMany('load-balancers', 'The maximum number of load balancers has been reached');
        const address = allocateAddress(ctx.deps.subnet, all.loadBalancers.map((lb) => lb.address));
        if (address === undefined) throw tooMany('load-balancers', 'The load-balancer subnet has no free address left for another load balancer');
        const id = newResourceId();
        const record: LoadBalancerRecord = {
          arn: loadBalancerArn(scope.region, scope.accountId, type, input.name, id),
          accountId: scope.accountId,
          region: scope.region,
          name: input.name,
          type,
          scheme,
          dnsName: dnsNameOf(input.name, id, type, scheme, scope.region),
          address,
          createdTime: scope.now.getTime(),
          state: 'provisioning',
          ...place,
          ipAddressType: 'ipv4',
          attributes: loadBalancerAttributeDefaults(type),
          tags,
        };
        await putRecord(tx, 'load-balancer', record);
        return record;
      });
      await ctx.sync();
      return created;
    },

    async describe(scope: Scope, filter: { arns?: string[]; names?: string[]; marker?: string; pageSize?: number }) {
      if (filter.arns?.length && filter.names?.length) throw validation('Load balancer names and load balancer ARNs cannot be specified at the same time');
      const { loadBalancers } = await readScope(store, scope);
      let chosen = loadBalancers;
      if (filter.arns?.length) {
        for (const arn of filter.arns) await getRecord(store, scope, 'load-balancer', arn);
        chosen = loadBalancers.filter((lb) => filter.arns!.includes(lb.arn));
      } else if (filter.names?.length) {
        const missing = filter.names.filter((n) => !loadBalancers.some((lb) => lb.name === n));
        if (missing.length > 0) throw elbNotFound('load-balancer', `Load balancers '[${missing.join(', ')}]' not found`);
        chosen = loadBalancers.filter((lb) => filter.names!.includes(lb.name));
      }
      return pageOfArns('elb-load-balancers', chosen, filter.marker, filter.pageSize);
    },

    /** Deletes the load balancer with its listeners and rules; an unknown one is already gone (AWS answers success). */
    async delete(scope: Scope, arn: string): Promise<void> {
      const deleted = await store.transaction(async (tx) => {
        let lb: LoadBalancerRecord;
        try {
          lb = await getRecord(tx, scope, 'load-balancer', arn);
        } catch (err) {
          if (err instanceof DomainError && err.kind === ErrorKind.NotFound) return false;
          throw err;
        }
        if (lb.attributes['deletion_protection.enabled'] === 'true') {
          throw notPermitted(`Load balancer '${arn}' cannot be deleted because deletion protection is enabled`);
        }
        const listeners = await tx.collection(COLLECTIONS.listeners).list({ prefix: listenerPrefix(arn) });
        for (const l of listeners) {
          const rules = await tx.collection<RuleRecord>(COLLECTIONS.rules).list({ prefix: l.key.replace(':listener/', ':listener-rule/') + '/' });
          for (const r of rules) await deleteRecord(tx, 'rule', r.key);
          await deleteRecord(tx, 'listener', l.key);
        }
        await deleteRecord(tx, 'load-balancer', arn);
        return true;
      });
      if (deleted) await ctx.sync();
    },

    /** SetSubnets: new subnets (zones derived as on create); the address and DNS name stay. */
    async setSubnets(scope: Scope, arn: string, input: Pick<CreateLoadBalancerInput, 'subnets' | 'subnetMappings' | 'ipAddressType'>): Promise<LoadBalancerRecord> {
      if ((input.ipAddressType ?? 'ipv4') !== 'ipv4') throw invalidConfiguration('Only the ipv4 address type is supported');
      return store.transaction(async (tx) => {
        const lb = await getRecord(tx, scope, 'load-balancer', arn);
        lb.zones = placement(scope, lb.type, { name: lb.name, ...input, securityGroups: lb.securityGroups }).zones;
        await putRecord(tx, 'load-balancer', lb);
        return lb;
      });
    },

    /** SetSecurityGroups: recorded (minato has no security groups to enforce; see docs/architecture.md). */
    async setSecurityGroups(scope: Scope, arn: string, groups: string[]): Promise<string[]> {
      for (const sg of groups) if (!isSecurityGroupId(sg)) throw invalidSecurityGroup(`Invalid security group '${sg}'`);
      return store.transaction(async (tx) => {
        const lb = await getRecord(tx, scope, 'load-balancer', arn);
        if (lb.type === 'network' && lb.securityGroups.length === 0 && groups.length > 0) {
          throw invalidConfiguration('Security groups cannot be added to a network load balancer created without them');
        }
        lb.securityGroups = [...new Set(groups)];
        await putRecord(tx, 'load-balancer', lb);
        return lb.securityGroups;
      });
    },

    /** SetIpAddressType: load balancers here have IPv4 addresses only. */
    async setIpAddressType(scope: Scope, arn: string, type: string): Promise<string> {
      await getRecord(store, scope, 'load-balancer', arn);
      if (type !== 'ipv4') throw invalidConfiguration('Only the ipv4 address type is supported: load balancers get an IPv4 address of the load-balancer subnet');
      return type;
    },

    async attributes(scope: Scope, arn: string): Promise<Record<string, string>> {
      return (await getRecord(store, scope, 'load-balancer', arn)).attributes;
    },

    async modifyAttributes(scope: Scope, arn: string, changes: Array<{ Key?: string; Value?: string }>): Promise<Record<string, string>> {
      const attributes = await store.transaction(async (tx) => {
        const lb = await getRecord(tx, scope, 'load-balancer', arn);
        lb.attributes = applyLoadBalancerAttributes(lb.type, lb.attributes, changes);
        await putRecord(tx, 'load-balancer', lb);
        return lb.attributes;
      });
      await ctx.sync();
      return attributes;
    },
  };
}
