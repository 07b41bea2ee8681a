import type { LoadBalancerDataPlane } from '../lb-proxy/proxy-config.js';
import { parseArn } from '../lib/arn.js';
import { decodeToken, pageOf } from '../lib/pagination.js';
import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import type { Subnet } from './addresses.js';
import { duplicate, elbNotFound, tooMany, validation } from './errors.js';
import { resourceKind } from './names.js';
import { COLLECTIONS, type ElbRecords, type LoadBalancerRecord, type ListenerRecord, type RuleRecord, type Tag, type TargetGroupRecord } from './records.js';

/** The certificates HTTPS listeners name (ACM's, through certificates/). */
export interface CertificateSource {
  exists(scope: Scope, arn: string): Promise<boolean>;
  material(arn: string): Promise<{ certificatePem: string; privateKeyPem: string; chainPem?: string } | undefined>;
}

/** What the ELB domain is built over. */
export interface ElbDeps {
  store: Store;
  dataPlane: LoadBalancerDataPlane;
  certificates: CertificateSource;
  /** The address of an `instance` target (a container instance or EC2 instance id); undefined: no such instance. */
  instanceAddress(id: string): string | undefined;
  /** The load-balancer subnet each load balancer's address comes from. */
  subnet: Subnet;
  /** The clock of the drain timer (requests carry their own time in the scope). */
  clock?: () => Date;
  /** Failures of background work (applying the data plane, finishing drains). */
  onError?: (err: unknown, what: string) => void;
}

/** Shared by the operation groups: the deps, and the sync of the data plane after each change. */
export interface ElbContext {
  deps: ElbDeps;
  /** Applies the records to the data plane (serialised; the latest records win). */
  sync(): Promise<void>;
  /** Re-arms the drain timer after a change of drains. */
  drainsChanged(): void;
}

type Kind = 'load-balancer' | 'target-group' | 'listener' | 'rule';
const COLLECTION_OF: Record<Kind, string> = {
  'load-balancer': COLLECTIONS.loadBalancers,
  'target-group': COLLECTIONS.targetGroups,
  listener: COLLECTIONS.listeners,
  rule: COLLECTIONS.rules,
};
const NOT_FOUND_TEXT: Record<Kind, string> = {
  'load-balancer': 'One or more load balancers not found',
  'target-group': 'One or more target groups not found',
  listener: 'One or more listeners not found',
  rule: 'One or more rules not found',
};

/** Collections of a transaction or of the store itself. */
type Reader = Pick<Transaction, 'collection'>;

/** Every record, of every account and region (the data plane serves them all). */
export async function readAll(reader: Reader): Promise<ElbRecords> {
  const all = async <T>(name: string) => (await reader.collection<T>(name).list()).map((row) => row.value);
  return {
    loadBalancers: await all<LoadBalancerRecord>(COLLECTIONS.loadBalancers),
    targetGroups: await all<TargetGroupRecord>(COLLECTIONS.targetGroups),
    listeners: await all<ListenerRecord>(COLLECTIONS.listeners),
    rules: await all<RuleRecord>(COLLECTIONS.rules),
  };
}

/** The records of one account and region, by ARN prefix. */
export async function readScope(reader: Reader, scope: Scope): Promise<ElbRecords> {
  const prefix = `arn:aws:elasticloadbalancing:${scope.region}:${scope.accountId}:`;
  const all = async <T>(name: string) => (await reader.collection<T>(name).list({ prefix })).map((row) => row.value);
  return {
    loadBalancers: await all<LoadBalancerRecord>(COLLECTIONS.loadBalancers),
    targetGroups: await all<TargetGroupRecord>(COLLECTIONS.targetGroups),
    listeners: await all<ListenerRecord>(COLLECTIONS.listeners),
    rules: await all<RuleRecord>(COLLECTIONS.rules),
  };
}

type RecordOf<K extends Kind> = K extends 'load-balancer' ? LoadBalancerRecord : K extends 'target-group' ? TargetGroupRecord : K extends 'listener' ? ListenerRecord : RuleRecord;

/** The record `arn` names in the caller's account and region, or ELB's not-found error for its kind. */
export async function getRecord<K extends Kind>(reader: Reader, scope: Scope, kind: K, arn: string): Promise<RecordOf<K>> {
  const found = await findRecord(reader, scope, kind, arn);
  if (!found) throw elbNotFound(kind, NOT_FOUND_TEXT[kind]);
  return found;
}

export async function findRecord<K extends Kind>(reader: Reader, scope: Scope, kind: K, arn: string): Promise<RecordOf<K> | undefined> {
  if (resourceKind(arn) !== kind) throw validation(`'${arn}' is not a valid ${kind.replace('-', ' ')} ARN`);
  const parsed = parseArn(arn);
  if (parsed!.accountId !== scope.accountId || parsed!.region !== scope.region) return undefined;
  return reader.collection<RecordOf<K>>(COLLECTION_OF[kind]).get(arn);
}

export const putRecord = <K extends Kind>(tx: Reader, kind: K, record: RecordOf<K>) => tx.collection<RecordOf<K>>(COLLECTION_OF[kind]).put(record.arn, record);
export const deleteRecord = (tx: Reader, kind: Kind, arn: string) => tx.collection(COLLECTION_OF[kind]).delete(arn);

const MAX_TAGS = 50;

/** Checks tags given with a create call: unique keys, at most 50. */
export function checkTags(tags: readonly Tag[] | undefined): Tag[] {
  const list = tags ?? [];
  if (new Set(list.map((t) => t.Key)).size !== list.length) throw duplicate('tag-keys', 'Tag keys must be unique');
  if (list.length > MAX_TAGS) throw tooMany('tags', `A resource can have at most ${MAX_TAGS} tags`);
  return list.map((t) => ({ Key: t.Key, ...(t.Value !== undefined && { Value: t.Value }) }));
}

/** `current` with `added` set (new values win); at most 50. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(current.map((t) => [t.Key, t]));
  for (const t of checkTags(added)) byKey.set(t.Key, t);
  if (byKey.size > MAX_TAGS) throw tooMany('tags', `A resource can have at most ${MAX_TAGS} tags`);
  return [...byKey.values()];
}

/** Structural equality of JSON values (the idempotent creates compare settings with it). */
export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A page of `items` (sorted by ARN) after `marker`, at most `pageSize` (ELB's Marker and PageSize, 1–400). */
export function pageOfArns<T extends { arn: string }>(listing: string, items: readonly T[], marker: string | undefined, pageSize: number | undefined): { items: T[]; nextMarker?: string } {
  const after = decodeToken(listing, marker);
  const sorted = [...items].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0)).filter((i) => after === undefined || i.arn > after);
  const page = pageOf(listing, sorted.map((i) => ({ key: i.arn, value: i })), pageSize ?? 400);
  return { items: page.items, ...(page.nextToken !== undefined && { nextMarker: page.nextToken }) };
}

/** A page of `items` kept in their given order (a listener's rules by priority); the marker is a position. */
export function pageInOrder<T>(listing: string, items: readonly T[], marker: string | undefined, pageSize: number | undefined): { items: T[]; nextMarker?: string } {
  const after = decodeToken(listing, marker);
  const keyed = items.map((value, i) => ({ key: String(i).padStart(6, '0'), value })).filter((row) => after === undefined || row.key > after);
  const page = pageOf(listing, keyed, pageSize ?? 400);
  return { items: page.items, ...(page.nextToken !== undefined && { nextMarker: page.nextToken }) };
}
