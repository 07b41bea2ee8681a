import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { attachmentCount, boundaryHoldersOf, boundaryUsageCount, holdersOf, policyHolders, type PolicyHolders } from './attachments.js';
import { AWS_MANAGED_POLICIES, type AwsManagedPolicy } from './aws-managed-policies.js';
import { checkPermissionsPolicy } from './documents.js';
import { alreadyExists, deleteConflict, limitExceeded, noSuchEntity, unmodifiable } from './errors.js';
import { iamArn, newId } from './ids.js';
import { pageByMarker, underPath, type MarkerPage } from './paging.js';
import { findManagedPolicy, localPolicyKey } from './policy-lookup.js';
import { POLICIES, accountPrefix, entityKey, type PolicyRecord, type PolicyVersionRecord, type Tag } from './records.js';
import { mergeTags, removeTags } from './tags.js';

/** IAM keeps at most five versions of a managed policy. */
export const MAX_POLICY_VERSIONS = 5;

/** A managed policy as the API shows it, AWS's or the account's. */
export interface PolicyView {
  name: string;
  policyId: string;
  arn: string;
  path: string;
  defaultVersionId: string;
  attachmentCount: number;
  /** The users and roles whose permissions boundary it is. */
  boundaryUsageCount: number;
  description?: string;
  /** Epoch milliseconds. */
  createDate: number;
  updateDate: number;
  tags: Tag[];
  aws: boolean;
}

export interface PolicyVersionView {
  document: string;
  versionId: string;
  isDefaultVersion: boolean;
  createDate: number;
}

/** How a policy is used: attached to entities, or as their permissions boundary. */
export type PolicyUsage = 'PermissionsPolicy' | 'PermissionsBoundary';

export interface PolicyListOptions {
  scope?: 'All' | 'AWS' | 'Local';
  /** Only the policies in use: attached to entities, or (`usage` PermissionsBoundary) a user's or role's boundary. */
  onlyAttached?: boolean;
  usage?: PolicyUsage;
  pathPrefix?: string;
  marker?: string;
  maxItems?: number;
}

/** Managed policies: the account's own (versioned, taggable) and AWS's (read-only). */
export class ManagedPolicies {
  constructor(private readonly store: Store) {}

  async create(scope: Scope, input: { name: string; path?: string; document: string; description?: string; tags?: readonly Tag[] }): Promise<PolicyView> {
    checkPermissionsPolicy(input.document);
    const path = input.path ?? '/';
    const now = scope.now.getTime();
    const record: PolicyRecord = {
      name: input.name,
      path,
      policyId: newId('ANPA'),
      arn: iamArn(scope.accountId, 'policy', path, input.name),
      ...(input.description !== undefined && { description: input.description }),
      createDate: now,
      updateDate: now,
      defaultVersionId: 'v1',
      versions: [{ versionId: 'v1', document: input.document, createDate: now }],
      nextVersion: 2,
      tags: mergeTags([], input.tags ?? []),
    };
    await this.store.transaction(async (tx) => {
      if (!(await tx.collection<PolicyRecord>(POLICIES).insert(entityKey(scope.accountId, input.name), record))) {
        throw alreadyExists(`A policy called ${input.name} already exists. Duplicate names are not allowed.`);
      }
    });
    return localView(record, { attachments: 0, boundaries: 0 });
  }

  async get(scope: Scope, arn: string): Promise<PolicyView> {
    return this.store.transaction(async (tx) => {
      const found = await findManagedPolicy(tx, scope.accountId, arn);
      if (!found) throw noSuchEntity(`Policy ${arn} was not found.`);
      const count = counts(await policyHolders(tx, scope.accountId), arn);
      return found.kind === 'aws' ? awsView(AWS_MANAGED_POLICIES.get(arn)!, count) : localView(found.record, count);
    });
  }

  /**
   * The account's roles, users and groups a policy is attached to, or (`PermissionsBoundary`) the
   * users and roles whose boundary it is (ListEntitiesForPolicy); NoSuchEntity for a missing policy.
   */
  async holders(scope: Scope, arn: string, usage: PolicyUsage = 'PermissionsPolicy'): Promise<PolicyHolders> {
    return this.store.transaction(async (tx) => {
      if (!(await findManagedPolicy(tx, scope.accountId, arn))) throw noSuchEntity(`Policy ${arn} was not found.`);
      const holders = await policyHolders(tx, scope.accountId);
      return usage === 'PermissionsBoundary' ? boundaryHoldersOf(holders, arn) : holdersOf(holders, arn);
    });
  }

  async list(scope: Scope, options: PolicyListOptions): Promise<MarkerPage<PolicyView>> {
    return this.store.transaction(async (tx) => {
      const holders = await policyHolders(tx, scope.accountId);
      const count = (arn: string) => counts(holders, arn);
      const which = options.scope ?? 'All';
      const rows: Array<{ key: string; value: PolicyView }> = [];
      // AWS's policies sort before the account's (key `0…` < `1…`), each group by name.
      if (which !== 'Local') {
        for (const p of AWS_MANAGED_POLICIES.values()) rows.push({ key: `0/${p.name.toLowerCase()}`, value: awsView(p, count(p.arn)) });
      }
      if (which !== 'AWS') {
        for (const r of await tx.collection<PolicyRecord>(POLICIES).list({ prefix: accountPrefix(scope.accountId) })) {
          rows.push({ key: `1/${r.value.name.toLowerCase()}`, value: localView(r.value, count(r.value.arn)) });
        }
      }
      rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const inUse = (p: PolicyView) => (options.usage === 'PermissionsBoundary' ? p.boundaryUsageCount > 0 : p.attachmentCount > 0);
      const kept = rows.filter((r) => underPath(r.value.path, options.pathPrefix) && (!options.onlyAttached || inUse(r.value)));
      return pageByMarker('policies', kept, options.marker, options.maxItems);
    });
  }

  async delete(scope: Scope, arn: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, record } = await this.loadLocal(tx, scope, arn);
      if (attachmentCount(await policyHolders(tx, scope.accountId), arn) > 0) {
        throw deleteConflict('Cannot delete a policy attached to entities.');
      }
      if (record.versions.length > 1) {
        throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
      }
      await tx.collection(POLICIES).delete(key);
    });
  }

  async createVersion(scope: Scope, arn: string, document: string, setAsDefault: boolean): Promise<PolicyVersionView> {
    checkPermissionsPolicy(document);
    return this.mutate(scope, arn, (record) => {
      if (record.versions.length >= MAX_POLICY_VERSIONS) {
        throw limitExceeded(`A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
      }
      const version: PolicyVersionRecord = { versionId: `v${record.nextVersion}`, document, createDate: scope.now.getTime() };
      record.nextVersion += 1;
      record.versions.push(version);
      if (setAsDefault) record.defaultVersionId = version.versionId;
      record.updateDate = scope.now.getTime();
      return versionView(record, version);
    });
  }

  async getVersion(scope: Scope, arn: string, versionId: string): Promise<PolicyVersionView> {
    const aws = AWS_MANAGED_POLICIES.get(arn);
    if (aws) {
      if (versionId !== aws.defaultVersionId) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
      return { document: aws.document, versionId, isDefaultVersion: true, createDate: Date.parse(aws.updateDate) };
    }
    const { record } = await this.store.transaction((tx) => this.loadLocal(tx, scope, arn, false));
    const version = record.versions.find((v) => v.versionId === versionId);
    if (!version) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
    return versionView(record, version);
  }

  async listVersions(scope: Scope, arn: string): Promise<PolicyVersionView[]> {
    const aws = AWS_MANAGED_POLICIES.get(arn);
    if (aws) return [{ document: aws.document, versionId: aws.defaultVersionId, isDefaultVersion: true, createDate: Date.parse(aws.updateDate) }];
    const { record } = await this.store.transaction((tx) => this.loadLocal(tx, scope, arn, false));
    // Newest first, as IAM lists them.
    return [...record.versions].reverse().map((v) => versionView(record, v));
  }

  async deleteVersion(scope: Scope, arn: string, versionId: string): Promise<void> {
    await this.mutate(scope, arn, (record) => {
      const version = record.versions.find((v) => v.versionId === versionId);
      if (!version) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
      if (version.versionId === record.defaultVersionId) throw deleteConflict('Cannot delete the default version of a policy.');
      record.versions = record.versions.filter((v) => v !== version);
    });
  }

  async setDefaultVersion(scope: Scope, arn: string, versionId: string): Promise<void> {
    await this.mutate(scope, arn, (record) => {
      if (!record.versions.some((v) => v.versionId === versionId)) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
      record.defaultVersionId = versionId;
      record.updateDate = scope.now.getTime();
    });
  }

  async tag(scope: Scope, arn: string, tags: readonly Tag[]): Promise<void> {
    await this.mutate(scope, arn, (record) => {
      record.tags = mergeTags(record.tags, tags);
    });
  }

  async untag(scope: Scope, arn: string, keys: readonly string[]): Promise<void> {
    await this.mutate(scope, arn, (record) => {
      record.tags = removeTags(record.tags, keys);
    });
  }

  /** The default version's document of a managed policy (for evaluation). */
  async defaultDocument(tx: Transaction, accountId: string, arn: string): Promise<{ document: string; aws: boolean } | undefined> {
    const found = await findManagedPolicy(tx, accountId, arn);
    if (!found) return undefined;
    if (found.kind === 'aws') return { document: AWS_MANAGED_POLICIES.get(arn)!.document, aws: true };
    const version = found.record.versions.find((v) => v.versionId === found.record.defaultVersionId)!;
    return { document: version.document, aws: false };
  }

  private async loadLocal(tx: Transaction, scope: Scope, arn: string, forChange = true): Promise<{ key: string; record: PolicyRecord }> {
    if (forChange && AWS_MANAGED_POLICIES.has(arn)) throw unmodifiable(`Cannot modify AWS managed policy ${arn}.`);
    const found = await findManagedPolicy(tx, scope.accountId, arn);
    if (!found || found.kind !== 'local') {
      localPolicyKey(scope.accountId, arn);
      throw noSuchEntity(`Policy ${arn} was not found.`);
    }
    return { key: found.key, record: found.record };
  }

  private async mutate<R>(scope: Scope, arn: string, change: (record: PolicyRecord) => R): Promise<R> {
    return this.store.transaction(async (tx) => {
      const { key, record } = await this.loadLocal(tx, scope, arn);
      const result = change(record);
      await tx.collection<PolicyRecord>(POLICIES).put(key, record);
      return result;
    });
  }
}

/** How many entities use a policy, each way. */
interface UsageCounts {
  attachments: number;
  boundaries: number;
}

const counts = (holders: PolicyHolders, arn: string): UsageCounts => ({ attachments: attachmentCount(holders, arn), boundaries: boundaryUsageCount(holders, arn) });

function localView(r: PolicyRecord, { attachments, boundaries }: UsageCounts): PolicyView {
  return {
    name: r.name,
    policyId: r.policyId,
    arn: r.arn,
    path: r.path,
    defaultVersionId: r.defaultVersionId,
    attachmentCount: attachments,
    boundaryUsageCount: boundaries,
    ...(r.description !== undefined && { description: r.description }),
    createDate: r.createDate,
    updateDate: r.updateDate,
    tags: r.tags,
    aws: false,
  };
}

function awsView(p: AwsManagedPolicy, { attachments, boundaries }: UsageCounts): PolicyView {
  return {
    name: p.name,
    policyId: p.policyId,
    arn: p.arn,
    path: p.path,
    defaultVersionId: p.defaultVersionId,
    attachmentCount: attachments,
    boundaryUsageCount: boundaries,
    description: p.description,
    createDate: Date.parse(p.createDate),
    updateDate: Date.parse(p.updateDate),
    tags: [],
    aws: true,
  };
}

function versionView(record: PolicyRecord, v: PolicyVersionRecord): PolicyVersionView {
  return { document: v.document, versionId: v.versionId, isDefaultVersion: v.versionId === record.defaultVersionId, createDate: v.createDate };
}
