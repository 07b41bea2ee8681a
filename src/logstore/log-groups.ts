import { DomainError, ErrorKind, failedPrecondition, invalidParameter } from '../lib/errors.js';
import { decodeToken, encodeToken, type Page } from '../lib/pagination.js';
import type { Scope } from '../lib/scope.js';
import { DAY_MS, DESCRIBE_LIMIT, MAX_TAGS, RETENTION_DAYS } from './limits.js';
import type { LogGroupClass, LogGroupRecord, LogStore } from './log-store.js';
import { checkGroupName, groupNameOf, groupNotFound } from './names.js';

/** What CreateLogGroup may set. */
export interface CreateGroupInput {
  name: string;
  kmsKeyId?: string;
  tags?: Readonly<Record<string, string>>;
  logGroupClass?: LogGroupClass;
  deletionProtection?: boolean;
}

/** DescribeLogGroups' filters and paging. */
export interface DescribeGroupsInput {
  prefix?: string;
  /** A case-sensitive substring of the name. */
  pattern?: string;
  logGroupClass?: LogGroupClass;
  /** Names or ARNs. */
  identifiers?: readonly string[];
  limit?: number;
  nextToken?: string;
}

const LISTING = 'DescribeLogGroups';

/** The first timestamp a group's retention policy keeps, or 0 when it keeps everything. */
export function retentionCutoff(group: LogGroupRecord, now: Date): number {
  return group.retentionDays === undefined ? 0 : now.getTime() - group.retentionDays * DAY_MS;
}

function checkTagKeys(keys: Iterable<string>): void {
  for (const key of keys) {
    if (key.toLowerCase().startsWith('aws:')) throw invalidParameter('Tag keys cannot start with the reserved prefix "aws:".');
  }
}

function tooManyTags(): DomainError {
  return new DomainError(ErrorKind.LimitExceeded, `A resource can have no more than ${MAX_TAGS} tags.`, 'tags');
}

/** Log groups: creation, listing, retention, deletion protection and tags. */
export class LogGroups {
  constructor(private readonly store: LogStore) {}

  /** Creates a log group; ResourceAlreadyExists when the region has one of that name. */
  async create(scope: Scope, input: CreateGroupInput): Promise<LogGroupRecord> {
    checkGroupName(input.name);
    const tags = input.tags ?? {};
    checkTagKeys(Object.keys(tags));
    const created = await this.store.createGroup({
      region: scope.region,
      name: input.name,
      createdAt: scope.now.getTime(),
      ...(input.kmsKeyId !== undefined && { kmsKeyId: input.kmsKeyId }),
      logGroupClass: input.logGroupClass ?? 'STANDARD',
      deletionProtection: input.deletionProtection ?? false,
      tags,
    });
    if (!created) throw new DomainError(ErrorKind.AlreadyExists, 'The specified log group already exists', 'log-group');
    return created;
  }

  /** The named group; ResourceNotFound when there is none. */
  async require(scope: Scope, name: string): Promise<LogGroupRecord> {
    const group = await this.store.group(scope.region, name);
    if (!group) throw groupNotFound();
    return group;
  }

  /** The named group, or undefined. */
  find(scope: Scope, name: string): Promise<LogGroupRecord | undefined> {
    return this.store.group(scope.region, name);
  }

  /** Deletes a group with all its streams and events. */
  async delete(scope: Scope, name: string): Promise<void> {
    const group = await this.require(scope, name);
    if (group.deletionProtection) {
      throw failedPrecondition('log-group-protected', `Log group ${name} has deletion protection enabled and cannot be deleted.`);
    }
    await this.store.deleteGroup(group.id);
  }

  /** One page of the region's groups, in name order. */
  async describe(scope: Scope, input: DescribeGroupsInput): Promise<Page<LogGroupRecord>> {
    if (input.prefix !== undefined && input.pattern !== undefined) {
      throw invalidParameter('logGroupNamePrefix and logGroupNamePattern are mutually exclusive. Only one of these parameters can be passed.');
    }
    if (input.identifiers !== undefined && (input.prefix !== undefined || input.pattern !== undefined)) {
      throw invalidParameter('logGroupIdentifiers cannot be combined with logGroupNamePrefix or logGroupNamePattern.');
    }
    const limit = input.limit ?? DESCRIBE_LIMIT;
    const names = input.identifiers?.map((id) => {
      try {
        return groupNameOf(scope, id);
      } catch {
        return ''; // an ARN of another account or region: a name no group has
      }
    });
    const rows = await this.store.groups({
      region: scope.region,
      ...(input.prefix !== undefined && { prefix: input.prefix }),
      ...(input.pattern !== undefined && input.pattern !== '' && { contains: input.pattern }),
      ...(input.logGroupClass !== undefined && { logGroupClass: input.logGroupClass }),
      ...(names !== undefined && { names }),
      ...(input.nextToken !== undefined && { after: decodeToken(LISTING, input.nextToken) }),
      limit: limit + 1,
    });
    if (rows.length <= limit) return { items: rows };
    const items = rows.slice(0, limit);
    return { items, nextToken: encodeToken(LISTING, items[items.length - 1]!.name) };
  }

  /** Sets the retention policy; only AWS's listed periods are accepted. */
  async putRetention(scope: Scope, name: string, days: number): Promise<void> {
    if (!RETENTION_DAYS.includes(days)) {
      throw invalidParameter(
        `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: ` +
          `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
      );
    }
    await this.store.updateGroup((await this.require(scope, name)).id, { retentionDays: days });
  }

  /** Removes the retention policy: events never expire. */
  async deleteRetention(scope: Scope, name: string): Promise<void> {
    await this.store.updateGroup((await this.require(scope, name)).id, { retentionDays: null });
  }

  /** Turns deletion protection on or off. */
  async setDeletionProtection(scope: Scope, name: string, enabled: boolean): Promise<void> {
    await this.store.updateGroup((await this.require(scope, name)).id, { deletionProtection: enabled });
  }

  /** The group's tags. */
  async tags(scope: Scope, name: string): Promise<Readonly<Record<string, string>>> {
    return (await this.require(scope, name)).tags;
  }

  /** Adds or replaces tags; TooManyTags past 50. */
  async tag(scope: Scope, name: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const group = await this.require(scope, name);
    checkTagKeys(Object.keys(tags));
    const found = await this.store.editTags(group.id, (current) => {
      const merged = { ...current, ...tags };
      if (Object.keys(merged).length > MAX_TAGS) throw tooManyTags();
      return merged;
    });
    if (!found) throw groupNotFound();
  }

  /** Removes the tags with these keys (absent keys are ignored). */
  async untag(scope: Scope, name: string, keys: readonly string[]): Promise<void> {
    const group = await this.require(scope, name);
    const found = await this.store.editTags(group.id, (current) =>
      Object.fromEntries(Object.entries(current).filter(([key]) => !keys.includes(key))),
    );
    if (!found) throw groupNotFound();
  }
}
