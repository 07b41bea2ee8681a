import type { ContainerDefinition, Failure, Tag } from '@aws-sdk/client-ecs';
import { formatArn, parseArn } from '../../lib/arn.js';
import { DomainError, ErrorKind, invalidParameter, invalidRequest } from '../../lib/errors.js';
import { decodeToken, encodeToken, type Page } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import type { Store, Transaction } from '../../store/store.js';
import { checkTags, type TagStore } from '../tags.js';
import { checkTaskDefinitionRules } from './rules.js';
import {
  MAX_REVISIONS,
  TaskDefinitionStatus,
  type FamilyRecord,
  type TaskDefinitionInput,
  type TaskDefinitionRecord,
} from './task-definition.js';

const REVISIONS = 'ecs-task-definitions';
const FAMILIES = 'ecs-task-definition-families';

// Revisions are zero-padded in keys so that key order is numeric order.
const revisionKey = (region: string, family: string, revision: number) =>
  `${region}/${family}/${String(revision).padStart(7, '0')}`;
const familyKey = (region: string, family: string) => `${region}/${family}`;

/** A reference to one revision, or to a family's latest ACTIVE revision. */
interface TaskDefinitionRef {
  family: string;
  revision?: number;
}

/** Options of ListTaskDefinitions. */
export interface ListTaskDefinitionsOptions {
  familyPrefix?: string;
  status?: TaskDefinitionStatus;
  sort?: 'ASC' | 'DESC';
  maxResults: number;
  nextToken?: string;
}

/** Task definition families and revisions: register, describe, list, deregister, delete. */
export class TaskDefinitions {
  constructor(
    private readonly store: Store,
    private readonly tags: TagStore,
  ) {}

  /** Registers a new revision of `input.family`. */
  async register(scope: Scope, input: TaskDefinitionInput, tags: Tag[] = []): Promise<TaskDefinitionRecord> {
    checkTaskDefinitionRules({ ...input, tags });
    checkTags(tags);
    return this.store.transaction(async (tx) => {
      const families = tx.collection<FamilyRecord>(FAMILIES);
      const fKey = familyKey(scope.region, input.family!);
      const family = (await families.get(fKey)) ?? { family: input.family!, latestRevision: 0, activeRevisions: 0 };
      if (family.latestRevision >= MAX_REVISIONS) {
        throw new DomainError(ErrorKind.LimitExceeded, `Too many revisions of task definition family ${family.family}.`);
      }
      const revision = family.latestRevision + 1;
      const record = withEcsDefaults(scope, input, revision);
      await tx.collection<TaskDefinitionRecord>(REVISIONS).put(revisionKey(scope.region, family.family, revision), record);
      await families.put(fKey, { ...family, latestRevision: revision, activeRevisions: family.activeRevisions + 1 });
      await this.tags.set(tx, record.taskDefinitionArn, tags);
      return record;
    });
  }

  /** The revision `ref` names (`family`, `family:revision` or an ARN); a bare family means its latest ACTIVE revision. */
  async describe(scope: Scope, ref: string): Promise<TaskDefinitionRecord> {
    const parsed = parseRef(scope, ref);
    const found = parsed && (await this.find(scope, parsed));
    if (!found) throw invalidRequest('Unable to describe task definition.');
    return found;
  }

  /** Marks a revision INACTIVE; running tasks and services that use it are unaffected. */
  async deregister(scope: Scope, ref: string): Promise<TaskDefinitionRecord> {
    const parsed = parseRef(scope, ref);
    if (!parsed || parsed.revision === undefined) {
      throw invalidRequest('Invalid revision number. Number: ' + (ref.split(':').pop() ?? ''));
    }
    return this.store.transaction(async (tx) => {
      const record = await this.find(scope, parsed, tx);
      if (!record) throw invalidRequest('The specified task definition does not exist.');
      if (record.status !== TaskDefinitionStatus.Active) return record;
      const updated = { ...record, status: TaskDefinitionStatus.Inactive, deregisteredAt: scope.now.getTime() };
      await this.save(tx, scope, updated, -1);
      return updated;
    });
  }

  /** Requests deletion of INACTIVE revisions; each ref that cannot be deleted becomes a failure. */
  async delete(scope: Scope, refs: readonly string[]): Promise<{ deleted: TaskDefinitionRecord[]; failures: Failure[] }> {
    if (refs.length > 10) throw invalidParameter('The maximum number of task definitions that can be deleted at once is 10.');
    return this.store.transaction(async (tx) => {
      const deleted: TaskDefinitionRecord[] = [];
      const failures: Failure[] = [];
      for (const ref of refs) {
        const parsed = parseRef(scope, ref);
        if (!parsed || parsed.revision === undefined) {
          failures.push({ arn: ref, reason: 'The specified task definition identifier is invalid. Specify a valid name or ARN and try again.' });
          continue;
        }
        const record = await this.find(scope, parsed, tx);
        if (!record) {
          failures.push({ arn: ref, reason: 'The specified task definition does not exist. Specify a valid task definition and try again.' });
        } else if (record.status === TaskDefinitionStatus.Active) {
          failures.push({
            arn: record.taskDefinitionArn,
            reason: 'The specified task definition is still in ACTIVE status. Please deregister the target and try again.',
          });
        } else {
          const updated = record.status === TaskDefinitionStatus.DeleteInProgress
            ? record
            : { ...record, status: TaskDefinitionStatus.DeleteInProgress, deleteRequestedAt: scope.now.getTime() };
          await this.save(tx, scope, updated, 0);
          deleted.push(updated);
        }
      }
      return { deleted, failures };
    });
  }

  /** Revision ARNs in family then revision order (or the reverse), filtered by family and status. */
  async list(scope: Scope, options: ListTaskDefinitionsOptions): Promise<Page<string>> {
    const status = options.status ?? TaskDefinitionStatus.Active;
    const prefix = options.familyPrefix ? `${familyKey(scope.region, options.familyPrefix)}/` : `${scope.region}/`;
    const rows = (await this.store.collection<TaskDefinitionRecord>(REVISIONS).list({ prefix }))
      .filter((r) => r.value.status === status)
      .map((r) => ({ key: r.key, value: r.value.taskDefinitionArn }));
    if (options.sort === 'DESC') rows.reverse();
    return pageAfter(`task-definitions:${options.sort ?? 'ASC'}`, rows, options.maxResults, options.nextToken);
  }

  /** Family names starting with `familyPrefix`, filtered by whether they have ACTIVE revisions. */
  async listFamilies(
    scope: Scope,
    options: { familyPrefix?: string; status?: 'ACTIVE' | 'INACTIVE' | 'ALL'; maxResults: number; nextToken?: string },
  ): Promise<Page<string>> {
    const status = options.status ?? 'ALL';
    const rows = (await this.store.collection<FamilyRecord>(FAMILIES).list({ prefix: familyKey(scope.region, options.familyPrefix ?? '') }))
      .filter((r) => status === 'ALL' || (r.value.activeRevisions > 0) === (status === 'ACTIVE'))
      .map((r) => ({ key: r.key, value: r.value.family }));
    return pageAfter('families', rows, options.maxResults, options.nextToken);
  }

  /** Tells whether the revision with this ARN exists in this scope. */
  async existsByArn(scope: Scope, arn: string): Promise<boolean> {
    const parsed = parseRef(scope, arn);
    return parsed?.revision !== undefined && (await this.find(scope, parsed)) !== undefined;
  }

  private async find(scope: Scope, ref: TaskDefinitionRef, tx?: Transaction): Promise<TaskDefinitionRecord | undefined> {
    const revisions = (tx ?? this.store).collection<TaskDefinitionRecord>(REVISIONS);
    if (ref.revision !== undefined) return revisions.get(revisionKey(scope.region, ref.family, ref.revision));
    const all = await revisions.list({ prefix: `${familyKey(scope.region, ref.family)}/` });
    return all.reverse().find((r) => r.value.status === TaskDefinitionStatus.Active)?.value;
  }

  /** Stores a changed revision and moves the family's ACTIVE count by `activeDelta`. */
  private async save(tx: Transaction, scope: Scope, record: TaskDefinitionRecord, activeDelta: number): Promise<void> {
    await tx.collection<TaskDefinitionRecord>(REVISIONS).put(revisionKey(scope.region, record.family, record.revision), record);
    if (activeDelta === 0) return;
    const families = tx.collection<FamilyRecord>(FAMILIES);
    const fKey = familyKey(scope.region, record.family);
    const family = await families.get(fKey);
    if (family) await families.put(fKey, { ...family, activeRevisions: family.activeRevisions + activeDelta });
  }
}

/** A page of already-ordered rows, resuming after the key in `nextToken`. */
function pageAfter(listing: string, rows: Array<{ key: string; value: string }>, max: number, nextToken?: string): Page<string> {
  const after = decodeToken(listing, nextToken);
  const start = after === undefined ? 0 : rows.findIndex((r) => r.key === after) + 1;
  if (after !== undefined && start === 0) return { items: [] };
  const page = rows.slice(start, start + max);
  const more = start + max < rows.length;
  return { items: page.map((r) => r.value), ...(more && { nextToken: encodeToken(listing, page[page.length - 1]!.key) }) };
}

/** Parses `family`, `family:revision` or a task definition ARN of this scope. */
function parseRef(scope: Scope, ref: string): TaskDefinitionRef | undefined {
  let body = ref;
  const arn = parseArn(ref);
  if (arn) {
    if (arn.service !== 'ecs' || arn.region !== scope.region || arn.accountId !== scope.accountId) return undefined;
    if (!arn.resource.startsWith('task-definition/')) return undefined;
    body = arn.resource.slice('task-definition/'.length);
  }
  const [family, revision, extra] = body.split(':');
  if (!family || extra !== undefined) return undefined;
  if (revision === undefined) return arn ? undefined : { family };
  if (!/^[1-9][0-9]{0,6}$/.test(revision)) return undefined;
  return { family, revision: Number(revision) };
}

/** The defaults ECS fills into container definitions on registration, as DescribeTaskDefinition shows them. */
function containerWithDefaults(c: ContainerDefinition, networkMode: string | undefined): ContainerDefinition {
  return {
    ...c,
    cpu: c.cpu ?? 0,
    portMappings: (c.portMappings ?? []).map((p) => ({
      ...p,
      ...(p.containerPort !== undefined &&
        (networkMode === 'awsvpc' || networkMode === 'host') && { hostPort: p.hostPort ?? p.containerPort }),
      protocol: p.protocol ?? 'tcp',
    })),
    essential: c.essential ?? true,
    environment: c.environment ?? [],
    mountPoints: c.mountPoints ?? [],
    volumesFrom: c.volumesFrom ?? [],
    systemControls: c.systemControls ?? [],
  };
}

function withEcsDefaults(scope: Scope, input: TaskDefinitionInput, revision: number): TaskDefinitionRecord {
  const family = input.family!;
  const requires = input.requiresCompatibilities ?? [];
  const compatibilities = ['EC2', ...requires.filter((c) => c !== 'EC2')];
  return {
    ...input,
    taskDefinitionArn: formatArn('ecs', scope.region, scope.accountId, `task-definition/${family}:${revision}`),
    family,
    revision,
    containerDefinitions: (input.containerDefinitions ?? []).map((c) => containerWithDefaults(c, input.networkMode)),
    volumes: input.volumes ?? [],
    placementConstraints: input.placementConstraints ?? [],
    compatibilities,
    requiresCompatibilities: requires,
    status: TaskDefinitionStatus.Active,
    registeredAt: scope.now.getTime(),
    registeredBy: scope.principalArn,
  } as TaskDefinitionRecord;
}
