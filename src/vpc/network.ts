import type { Store } from '../store/store.js';
import { ensureDefaultVpc } from './defaults.js';
import { FILTER_NAMES, groupValues, networkAclValues, routeTableValues, ruleValues, subnetValues, gatewayValues, vpcValues } from './describe.js';
import { idNotFound, notFoundError } from './errors.js';
import { checkFilters, matchesFilters, type Filter, type FilterValues, type Tag } from './filters.js';
import type { InternetGatewayRecord, RouteTableRecord, RuleRecord, SecurityGroupRecord, SubnetRecord, VpcRecord, Where } from './records.js';
import { Repo } from './repo.js';
import { resourceType, checkTags } from './tags.js';

/** A resource as Describe answers it: the record and its tags. */
export interface Described<T> {
  readonly record: T;
  readonly tags: Tag[];
}

/** A Describe request: ids (each must exist) and filters. */
export interface Query {
  readonly ids?: readonly string[] | undefined;
  readonly filters?: readonly Filter[] | undefined;
}

/**
 * EC2's networking resources of every account and region: each call is one store transaction,
 * which first gives the region its default VPC (see defaults.ts).
 */
export class Ec2Network {
  constructor(private readonly store: Store) {}

  /** Runs `fn` over the region's resources; `tags` are applied to the id it returns (TagSpecifications). */
  run<R>(where: Where, fn: (repo: Repo) => Promise<R>): Promise<R> {
    return this.store.transaction(async (tx) => {
      const repo = new Repo(tx, where);
      await ensureDefaultVpc(repo);
      return fn(repo);
    });
  }

  describeVpcs(where: Where, q: Query): Promise<Array<Described<VpcRecord>>> {
    return this.run(where, async (repo) => select(repo, await repo.vpcs.all(), (v) => v.vpcId, (v) => vpcValues(v, where.accountId), q, FILTER_NAMES.vpc, 'vpc', 'vpc'));
  }

  describeSubnets(where: Where, q: Query): Promise<Array<Described<SubnetRecord>>> {
    return this.run(where, async (repo) => select(repo, await repo.subnets.all(), (s) => s.subnetId, (s) => subnetValues(s, where.accountId), q, FILTER_NAMES.subnet, 'subnet', 'subnet'));
  }

  /** DescribeSecurityGroups: by id, or by name in the default VPC, and filters. */
  describeSecurityGroups(where: Where, q: Query & { names?: readonly string[] | undefined }): Promise<Array<Described<SecurityGroupRecord>>> {
    return this.run(where, async (repo) => {
      let groups = await repo.groups.all();
      if (q.names && q.names.length > 0) {
        const defaultVpc = (await repo.vpcs.all()).find((v) => v.isDefault);
        for (const name of q.names) {
          if (!groups.some((g) => g.vpcId === defaultVpc?.vpcId && g.groupName === name)) {
            throw notFoundError('security-group', `The security group '${name}' does not exist in default VPC '${defaultVpc?.vpcId ?? 'none'}'`);
          }
        }
        groups = groups.filter((g) => g.vpcId === defaultVpc?.vpcId && q.names!.includes(g.groupName));
      }
      return select(repo, groups, (g) => g.groupId, (g) => groupValues(g, where.accountId), q, FILTER_NAMES.group, 'security-group', 'security group');
    });
  }

  /** DescribeSecurityGroupRules: every rule of every group, with its group. */
  describeSecurityGroupRules(where: Where, q: Query): Promise<Array<Described<RuleRecord & { groupId: string }>>> {
    return this.run(where, async (repo) => {
      const rules = (await repo.groups.all()).flatMap((g) => g.rules.map((r) => ({ ...r, groupId: g.groupId })));
      return select(repo, rules, (r) => r.ruleId, (r) => ruleValues(r, r.groupId), q, FILTER_NAMES.rule, 'rule', 'security group rule');
    });
  }

  describeInternetGateways(where: Where, q: Query): Promise<Array<Described<InternetGatewayRecord>>> {
    return this.run(where, async (repo) =>
      select(repo, await repo.gateways.all(), (g) => g.internetGatewayId, (g) => gatewayValues(g, where.accountId), q, FILTER_NAMES.gateway, 'internet-gateway', 'internetGateway'),
    );
  }

  describeRouteTables(where: Where, q: Query): Promise<Array<Described<RouteTableRecord>>> {
    return this.run(where, async (repo) =>
      select(repo, await repo.routeTables.all(), (t) => t.routeTableId, (t) => routeTableValues(t, where.accountId), q, FILTER_NAMES.routeTable, 'route-table', 'routeTable'),
    );
  }

  /** DescribeNetworkAcls: each VPC's default ACL (allow all), associated with every subnet of it. */
  describeNetworkAcls(where: Where, q: Query): Promise<Array<Described<{ vpc: VpcRecord; subnetIds: string[] }>>> {
    return this.run(where, async (repo) => {
      const subnets = await repo.subnets.all();
      const acls = (await repo.vpcs.all()).map((vpc) => ({ vpc, subnetIds: subnets.filter((s) => s.vpcId === vpc.vpcId).map((s) => s.subnetId) }));
      return select(repo, acls, (a) => a.vpc.defaultNetworkAclId, (a) => networkAclValues(a.vpc, a.subnetIds, where.accountId), q, FILTER_NAMES.networkAcl, 'network-acl', 'networkAcl');
    });
  }

  /** DescribeTags: every tag of the region's resources, by the filters resource-id, resource-type, key, value. */
  describeTags(where: Where, filters: readonly Filter[] | undefined): Promise<Array<{ ResourceId: string; ResourceType: string; Key: string; Value: string }>> {
    checkFilters(filters, ['resource-id', 'resource-type', 'key', 'value']);
    return this.run(where, async (repo) => {
      const out: Array<{ ResourceId: string; ResourceType: string; Key: string; Value: string }> = [];
      for (const [id, tags] of await repo.allTags()) {
        for (const t of tags) {
          const row = { ResourceId: id, ResourceType: resourceType(id) ?? 'unknown', Key: t.Key, Value: t.Value };
          const values = { 'resource-id': [row.ResourceId], 'resource-type': [row.ResourceType], key: [row.Key], value: [row.Value] };
          if (matchesFilters(filters, values, [])) out.push(row);
        }
      }
      return out;
    });
  }

  /** CreateTags: every resource must exist; tags are added or replaced by key. */
  createTags(where: Where, ids: readonly string[], tags: readonly Tag[]): Promise<void> {
    checkTags(tags);
    return this.run(where, async (repo) => {
      for (const id of ids) await requireResource(repo, id);
      for (const id of ids) {
        await repo.addTags(id, tags);
        checkTags(await repo.tagsOf(id));
      }
    });
  }

  /** DeleteTags: the keys named (only where the value matches, when one is given), or every tag. */
  deleteTags(where: Where, ids: readonly string[], tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Promise<void> {
    return this.run(where, async (repo) => {
      for (const id of ids) {
        const kept = tags === undefined || tags.length === 0
          ? []
          : (await repo.tagsOf(id)).filter((t) => !tags.some((d) => d.Key === t.Key && (d.Value === undefined || d.Value === t.Value)));
        await repo.setTags(id, kept);
      }
    });
  }
}

/** Keeps the resources named by `q.ids` (each must exist) that pass `q.filters`. */
async function select<T>(
  repo: Repo,
  all: readonly T[],
  idOf: (r: T) => string,
  valuesOf: (r: T) => FilterValues,
  q: Query,
  filterNames: readonly string[],
  subject: string,
  label: string,
): Promise<Array<Described<T>>> {
  const ids = q.ids ?? [];
  for (const id of ids) if (!all.some((r) => idOf(r) === id)) throw idNotFound(subject, label, id);
  checkFilters(q.filters, filterNames);
  const tags = await repo.allTags();
  return all
    .filter((r) => ids.length === 0 || ids.includes(idOf(r)))
    .map((record) => ({ record, tags: tags.get(idOf(record)) ?? [] }))
    .filter((d) => matchesFilters(q.filters, valuesOf(d.record), d.tags));
}

/** The resource an id names, or EC2's not-found error for its type. */
async function requireResource(repo: Repo, id: string): Promise<void> {
  switch (resourceType(id)) {
    case 'vpc': await repo.vpcs.require(id); return;
    case 'subnet': await repo.subnets.require(id); return;
    case 'security-group': await repo.groups.require(id); return;
    case 'internet-gateway': await repo.gateways.require(id); return;
    case 'route-table': await repo.routeTables.require(id); return;
    case 'network-acl':
      if (!(await repo.vpcs.all()).some((v) => v.defaultNetworkAclId === id)) throw idNotFound('network-acl', 'networkAcl', id);
      return;
    case 'security-group-rule':
      if (!(await repo.groups.all()).some((g) => g.rules.some((r) => r.ruleId === id))) throw idNotFound('rule', 'security group rule', id);
      return;
    default:
      throw notFoundError('id', `The ID '${id}' is not valid`);
  }
}
