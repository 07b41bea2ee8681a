import { createHash } from 'node:crypto';
import { parseArn } from '../lib/arn.js';
import { DomainError, ErrorKind } from '../lib/errors.js';
import { decodeToken, pageOf, type Page } from '../lib/pagination.js';
import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { DiscoverySubject, duplicateRequest, invalidInput, namespaceNotFound, resourceInUse } from './errors.js';
import type { Operations } from './operations.js';
import {
  Collections,
  namespaceArn,
  newHostedZoneId,
  newNamespaceId,
  regionKey,
  type NamespaceRecord,
  type NamespaceType,
  type ServiceRecord,
  type Tag,
} from './records.js';
import { checkVpcId, privateNamespaceName } from './rules.js';
import { dropTags, putTags } from './tagging.js';

/** The id of a namespace or service from its id or ARN (Cloud Map's `Arn` members take either). */
export function idOf(value: string, resourceType: 'namespace' | 'service'): string {
  const arn = parseArn(value);
  if (!arn) return value;
  const [type, id] = arn.resource.split('/');
  if (type !== resourceType || id === undefined) throw invalidInput(`Invalid ${resourceType} ARN: ${value}`);
  return id;
}

/** What a CreatorRequestId stood for: the operation it started and the request's fingerprint. */
export interface CreatorRequest {
  operationId: string;
  fingerprint: string;
}

/** A digest of a request's members, to tell a retry from another request under the same CreatorRequestId. */
export const fingerprintOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * Looks up a CreatorRequestId: the earlier operation's id when the same request is retried,
 * DuplicateRequest when another request used it, undefined when it is new (or absent).
 */
export async function earlierRequest(tx: Transaction, key: string | undefined, fingerprint: string): Promise<string | undefined> {
  if (key === undefined) return undefined;
  const earlier = await tx.collection<CreatorRequest>(Collections.requests).get(key);
  if (!earlier) return undefined;
  if (earlier.fingerprint !== fingerprint) throw duplicateRequest(earlier.operationId);
  return earlier.operationId;
}

export interface NamespaceInput {
  name: string;
  type: NamespaceType;
  description?: string;
  vpc?: string;
  soaTtl?: number;
  creatorRequestId?: string;
  tags?: readonly Tag[];
}

/** A namespace and its service count, as GetNamespace and ListNamespaces show it. */
export interface NamespaceView extends NamespaceRecord {
  serviceCount: number;
}

/** A ListNamespaces filter as the request carries it. */
export interface NamespaceFilter {
  Name: 'TYPE' | 'NAME' | 'HTTP_NAME' | 'RESOURCE_OWNER';
  Values: readonly string[];
  Condition?: 'EQ' | 'IN' | 'BETWEEN' | 'BEGINS_WITH';
}

/** Cloud Map's namespaces: private DNS (the names the task DNS server answers) and HTTP. */
export class Namespaces {
  constructor(
    private readonly store: Store,
    private readonly operations: Operations,
  ) {}

  /** CreatePrivateDnsNamespace / CreateHttpNamespace: the namespace exists when the call returns. */
  async create(scope: Scope, input: NamespaceInput): Promise<string> {
    const name = input.type === 'DNS_PRIVATE' ? privateNamespaceName(input.name) : input.name;
    if (input.type === 'DNS_PRIVATE') checkVpcId(input.vpc ?? '');
    const requestKey = input.creatorRequestId === undefined ? undefined : `${scope.region}/namespace/${input.creatorRequestId}`;
    const fingerprint = fingerprintOf([input.type, name, input.vpc ?? null]);
    return this.store.transaction(async (tx) => {
      const retried = await earlierRequest(tx, requestKey, fingerprint);
      if (retried !== undefined) return retried;
      const col = tx.collection<NamespaceRecord>(Collections.namespaces);
      const clash = (await col.list({ prefix: `${scope.region}/` })).find((r) => r.value.name === name);
      if (clash) {
        throw new DomainError(ErrorKind.AlreadyExists, `Namespace ${name} already exists.`, DiscoverySubject.NamespaceExists, {
          NamespaceId: clash.value.id,
          ...(clash.value.creatorRequestId !== undefined && { CreatorRequestId: clash.value.creatorRequestId }),
        });
      }
      const id = newNamespaceId();
      const record: NamespaceRecord = {
        id,
        arn: namespaceArn(scope.region, scope.accountId, id),
        accountId: scope.accountId,
        region: scope.region,
        name,
        type: input.type,
        ...(input.description !== undefined && { description: input.description }),
        ...(input.type === 'DNS_PRIVATE' && { vpc: input.vpc!, soaTtl: input.soaTtl ?? 15, hostedZoneId: newHostedZoneId() }),
        ...(input.creatorRequestId !== undefined && { creatorRequestId: input.creatorRequestId }),
        createDate: scope.now.getTime(),
      };
      await col.put(regionKey(scope.region, id), record);
      if (input.tags && input.tags.length > 0) await putTags(tx, record.arn, input.tags);
      const operationId = await this.operations.record(tx, scope, 'CREATE_NAMESPACE', { NAMESPACE: id });
      if (requestKey !== undefined) await tx.collection<CreatorRequest>(Collections.requests).put(requestKey, { operationId, fingerprint });
      return operationId;
    });
  }

  async get(scope: Scope, idOrArn: string): Promise<NamespaceView> {
    const id = idOf(idOrArn, 'namespace');
    return this.store.transaction(async (tx) => {
      const ns = await tx.collection<NamespaceRecord>(Collections.namespaces).get(regionKey(scope.region, id));
      if (!ns) throw namespaceNotFound(idOrArn);
      return { ...ns, serviceCount: (await servicesOf(tx, scope.region, id)).length };
    });
  }

  /** The region's namespaces that pass every filter, in id order. */
  async list(scope: Scope, filters: readonly NamespaceFilter[], max: number, nextToken?: string): Promise<Page<NamespaceView>> {
    const matches = filters.map(namespacePredicate);
    const listing = `sd-namespaces/${scope.region}`;
    const after = decodeToken(listing, nextToken);
    return this.store.transaction(async (tx) => {
      const rows = await tx.collection<NamespaceRecord>(Collections.namespaces).list({ prefix: `${scope.region}/`, ...(after !== undefined && { after }) });
      const services = await tx.collection<ServiceRecord>(Collections.services).list({ prefix: `${scope.region}/` });
      const found = rows
        .filter((r) => matches.every((m) => m(r.value)))
        .slice(0, max + 1)
        .map((r) => ({ key: r.key, value: { ...r.value, serviceCount: services.filter((s) => s.value.namespaceId === r.value.id).length } }));
      return pageOf(listing, found, max);
    });
  }

  /** DeleteNamespace: ResourceInUse while services remain in it. */
  async delete(scope: Scope, idOrArn: string): Promise<string> {
    const id = idOf(idOrArn, 'namespace');
    return this.store.transaction(async (tx) => {
      const col = tx.collection<NamespaceRecord>(Collections.namespaces);
      const ns = await col.get(regionKey(scope.region, id));
      if (!ns) throw namespaceNotFound(idOrArn);
      if ((await servicesOf(tx, scope.region, id)).length > 0) throw resourceInUse(`Namespace ${id} has associated services.`);
      await col.delete(regionKey(scope.region, id));
      await dropTags(tx, ns.arn);
      return this.operations.record(tx, scope, 'DELETE_NAMESPACE', { NAMESPACE: id });
    });
  }

  /** UpdatePrivateDnsNamespace / UpdateHttpNamespace: the description, and a private namespace's SOA TTL. */
  async update(scope: Scope, idOrArn: string, type: NamespaceType, change: { description?: string; soaTtl?: number }, updaterRequestId?: string): Promise<string> {
    const id = idOf(idOrArn, 'namespace');
    const requestKey = updaterRequestId === undefined ? undefined : `${scope.region}/namespace-update/${updaterRequestId}`;
    const fingerprint = fingerprintOf([id, change]);
    return this.store.transaction(async (tx) => {
      const retried = await earlierRequest(tx, requestKey, fingerprint);
      if (retried !== undefined) return retried;
      const col = tx.collection<NamespaceRecord>(Collections.namespaces);
      const ns = await col.get(regionKey(scope.region, id));
      if (!ns) throw namespaceNotFound(idOrArn);
      if (ns.type !== type) throw invalidInput(`Namespace ${id} is of type ${ns.type}.`);
      await col.put(regionKey(scope.region, id), {
        ...ns,
        ...(change.description !== undefined && { description: change.description }),
        ...(change.soaTtl !== undefined && type === 'DNS_PRIVATE' && { soaTtl: change.soaTtl }),
      });
      const operationId = await this.operations.record(tx, scope, 'UPDATE_NAMESPACE', { NAMESPACE: id });
      if (requestKey !== undefined) await tx.collection<CreatorRequest>(Collections.requests).put(requestKey, { operationId, fingerprint });
      return operationId;
    });
  }
}

/** The services of a namespace. */
export async function servicesOf(tx: Transaction, region: string, namespaceId: string): Promise<ServiceRecord[]> {
  const rows = await tx.collection<ServiceRecord>(Collections.services).list({ prefix: `${region}/` });
  return rows.map((r) => r.value).filter((s) => s.namespaceId === namespaceId);
}

/** One ListNamespaces filter as a predicate: TYPE takes EQ or IN, NAME and HTTP_NAME also BEGINS_WITH. */
export function namespacePredicate(f: NamespaceFilter): (ns: NamespaceRecord) => boolean {
  const condition = f.Condition ?? 'EQ';
  const allowed = f.Name === 'NAME' || f.Name === 'HTTP_NAME' ? ['EQ', 'BEGINS_WITH'] : f.Name === 'TYPE' ? ['EQ', 'IN'] : ['EQ'];
  if (!allowed.includes(condition)) throw invalidInput(`The ${f.Name} filter does not take the ${condition} condition.`);
  if (condition !== 'IN' && f.Values.length !== 1) throw invalidInput(`The ${condition} condition takes exactly one value.`);
  // RESOURCE_OWNER is SELF or OTHER_ACCOUNTS; minato shares no namespaces across accounts.
  const field = (ns: NamespaceRecord): string => (f.Name === 'TYPE' ? ns.type : f.Name === 'RESOURCE_OWNER' ? 'SELF' : ns.name);
  if (condition === 'BEGINS_WITH') return (ns) => field(ns).startsWith(f.Values[0]!);
  const values = new Set(f.Values);
  return (ns) => values.has(field(ns));
}
