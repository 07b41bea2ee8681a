import type {
  CreateLogGroupRequest,
  DeleteLogGroupRequest,
  DeleteRetentionPolicyRequest,
  DescribeLogGroupsRequest,
  LogGroup,
  PutLogGroupDeletionProtectionRequest,
  PutRetentionPolicyRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Scope } from '../../lib/scope.js';
import type { LogService } from '../../logstore/log-service.js';
import type { LogGroupClass, LogGroupRecord } from '../../logstore/log-store.js';
import { groupArn, groupArnWithStar, groupNameOf } from '../../logstore/names.js';
import type { OperationHandler } from '../../server/service.js';

/**
 * The wire LogGroup. `arn` ends in `:*` and `logGroupArn` does not, as AWS shows them; with a
 * `logGroupNamePattern` AWS answers only the name, creation time and ARN.
 */
function groupWire(scope: Scope, group: LogGroupRecord, brief: boolean): LogGroup {
  const arn = groupArnWithStar(scope, group.name);
  if (brief) return { logGroupName: group.name, creationTime: group.createdAt, arn };
  return {
    logGroupName: group.name,
    creationTime: group.createdAt,
    ...(group.retentionDays !== undefined && { retentionInDays: group.retentionDays }),
    metricFilterCount: group.metricFilterCount,
    arn,
    storedBytes: group.storedBytes,
    ...(group.kmsKeyId !== undefined && { kmsKeyId: group.kmsKeyId }),
    logGroupClass: group.logGroupClass,
    logGroupArn: groupArn(scope, group.name),
    ...(group.deletionProtection && { deletionProtectionEnabled: true }),
  };
}

/** Handlers of the log group operations. */
export function logGroupHandlers(logs: LogService): Record<string, OperationHandler> {
  return {
    // The model has checked `logGroupClass` against its enum, which matches the domain's.
    async CreateLogGroup(input: CreateLogGroupRequest, { scope }) {
      await logs.groups.create(scope, {
        name: input.logGroupName!,
        ...(input.kmsKeyId !== undefined && { kmsKeyId: input.kmsKeyId }),
        ...(input.tags !== undefined && { tags: input.tags }),
        ...(input.logGroupClass !== undefined && { logGroupClass: input.logGroupClass as LogGroupClass }),
        ...(input.deletionProtectionEnabled !== undefined && { deletionProtection: input.deletionProtectionEnabled }),
      });
      return {};
    },
    async DeleteLogGroup(input: DeleteLogGroupRequest, { scope }) {
      await logs.groups.delete(scope, input.logGroupName!);
      return {};
    },
    async DescribeLogGroups(input: DescribeLogGroupsRequest, { scope }) {
      // No source account is linked to this one: accounts named other than the caller's have no groups.
      if (input.accountIdentifiers !== undefined && !input.accountIdentifiers.includes(scope.accountId)) return { logGroups: [] };
      const page = await logs.groups.describe(scope, {
        ...(input.logGroupNamePrefix !== undefined && { prefix: input.logGroupNamePrefix }),
        ...(input.logGroupNamePattern !== undefined && { pattern: input.logGroupNamePattern }),
        ...(input.logGroupClass !== undefined && { logGroupClass: input.logGroupClass as LogGroupClass }),
        ...(input.logGroupIdentifiers !== undefined && { identifiers: input.logGroupIdentifiers }),
        ...(input.limit !== undefined && { limit: input.limit }),
        ...(input.nextToken !== undefined && { nextToken: input.nextToken }),
      });
      const brief = input.logGroupNamePattern !== undefined;
      return {
        logGroups: page.items.map((g) => groupWire(scope, g, brief)),
        ...(page.nextToken && { nextToken: page.nextToken }),
      };
    },
    async PutRetentionPolicy(input: PutRetentionPolicyRequest, { scope }) {
      await logs.groups.putRetention(scope, input.logGroupName!, input.retentionInDays!);
      return {};
    },
    async DeleteRetentionPolicy(input: DeleteRetentionPolicyRequest, { scope }) {
      await logs.groups.deleteRetention(scope, input.logGroupName!);
      return {};
    },
    async PutLogGroupDeletionProtection(input: PutLogGroupDeletionProtectionRequest, { scope }) {
      await logs.groups.setDeletionProtection(scope, groupNameOf(scope, input.logGroupIdentifier!), input.deletionProtectionEnabled!);
      return {};
    },
  };
}
