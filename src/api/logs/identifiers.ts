import { invalidParameter } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import { groupNameOf } from '../../logstore/names.js';

/** The two ways a request names its log group. */
export interface GroupReference {
  logGroupName?: string;
  logGroupIdentifier?: string;
}

/**
 * The log group a request names with exactly one of `logGroupName` and `logGroupIdentifier` (a
 * name or an ARN), as GetLogEvents, FilterLogEvents and DescribeLogStreams require.
 */
export function groupOf(scope: Scope, input: GroupReference): string {
  const { logGroupName, logGroupIdentifier } = input;
  if (logGroupName !== undefined && logGroupIdentifier !== undefined) {
    throw invalidParameter('LogGroupName and LogGroupIdentifier are mutually exclusive. Only one can be specified.');
  }
  if (logGroupName !== undefined) return logGroupName;
  if (logGroupIdentifier !== undefined) return groupNameOf(scope, logGroupIdentifier);
  throw invalidParameter('Either LogGroupName or LogGroupIdentifier must be specified.');
}

/** The log group a tagging call's `resourceArn` names; only log groups are taggable here. */
export function taggedGroupOf(scope: Scope, resourceArn: string): string {
  if (!/^arn:[^:]+:logs:[^:]*:[^:]*:log-group:/.test(resourceArn)) {
    throw invalidParameter(`Invalid resource ARN: ${resourceArn}`);
  }
  return groupNameOf(scope, resourceArn);
}
