import type { Collection, Transaction } from '../store/store.js';
import { idNotFound } from './errors.js';
import type { Tag } from './filters.js';
import {
  INTERNET_GATEWAYS, keyOf, regionPrefix, ROUTE_TABLES, SECURITY_GROUPS, SUBNETS, TAGS, VPCS,
  type InternetGatewayRecord, type RouteTableRecord, type SecurityGroupRecord, type SubnetRecord, type VpcRecord, type Where,
} from './records.js';

/** One resource type's documents of one account and region. */
export class Kind<T> {
  constructor(
    private readonly col: Collection<T>,
    private readonly where: Where,
    /** The error subject and EC2's word for the id in its not-found message. */
    private readonly subject: string,
    private readonly label: string,
  ) {}

  get(id: string): Promise<T | undefined> {
    return this.col.get(keyOf(this.where, id));
  }

  /** The resource, or EC2's not-found error for its type. */
  async require(id: string): Promise<T> {
    const found = await this.get(id);
    if (!found) throw idNotFound(this.subject, this.label, id);
    return found;
  }

  async all(): Promise<T[]> {
    return (await this.col.list({ prefix: regionPrefix(this.where) })).map((r) => r.value);
  }

  put(id: string, value: T): Promise<void> {
    return this.col.put(keyOf(this.where, id), value);
  }

  delete(id: string): Promise<boolean> {
    return this.col.delete(keyOf(this.where, id));
  }
}

/** The networking resources of one account and region, inside one store transaction. */
export class Repo {
  readonly vpcs: Kind<VpcRecord>;
  readonly subnets: Kind<SubnetRecord>;
  readonly groups: Kind<SecurityGroupRecord>;
  readonly gateways: Kind<InternetGatewayRecord>;
  readonly routeTables: Kind<RouteTableRecord>;
  private readonly tagCol: Collection<Tag[]>;

  constructor(
    readonly tx: Transaction,
    readonly where: Where,
  ) {
    this.vpcs = new Kind(tx.collection(VPCS), where, 'vpc', 'vpc');
    this.subnets = new Kind(tx.collection(SUBNETS), where, 'subnet', 'subnet');
    this.groups = new Kind(tx.collection(SECURITY_GROUPS), where, 'security-group', 'security group');
    this.gateways = new Kind(tx.collection(INTERNET_GATEWAYS), where, 'internet-gateway', 'internetGateway');
    this.routeTables = new Kind(tx.collection(ROUTE_TABLES), where, 'route-table', 'routeTable');
    this.tagCol = tx.collection(TAGS);
  }

  async tagsOf(id: string): Promise<Tag[]> {
    return (await this.tagCol.get(keyOf(this.where, id))) ?? [];
  }

  /** Every tagged resource's tags, by id. */
  async allTags(): Promise<Map<string, Tag[]>> {
    const prefix = regionPrefix(this.where);
    return new Map((await this.tagCol.list({ prefix })).map((r) => [r.key.slice(prefix.length), r.value]));
  }

  async setTags(id: string, tags: readonly Tag[]): Promise<void> {
    if (tags.length === 0) await this.tagCol.delete(keyOf(this.where, id));
    else await this.tagCol.put(keyOf(this.where, id), [...tags]);
  }

  /** Adds or replaces tags by key. */
  async addTags(id: string, tags: readonly Tag[]): Promise<void> {
    if (tags.length === 0) return;
    const next = new Map((await this.tagsOf(id)).map((t) => [t.Key, t.Value]));
    for (const t of tags) next.set(t.Key, t.Value);
    await this.setTags(id, [...next].map(([Key, Value]) => ({ Key, Value })));
  }
}
