import { formatArn, parseArn } from '../lib/arn.js';
import { invalidParameter, notFound } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';

/**
 * Log group and stream names, their ARNs, and the checks the model's patterns make — repeated here
 * for callers that do not come through the API (the task runner's `awslogs` driver), with the
 * validation message AWS sends for them.
 */

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const STREAM_NAME = /^[^:*]*$/;

/** The ResourceNotFound error for a log group. */
export const groupNotFound = () => notFound('log-group', 'The specified log group does not exist.');
/** The ResourceNotFound error for a log stream. */
export const streamNotFound = () => notFound('log-stream', 'The specified log stream does not exist.');

function constraint(value: string, member: string, rule: string) {
  return invalidParameter(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`);
}

/** Checks a log group name against the model (length 1–512, `[\.\-_/#A-Za-z0-9]+`). */
export function checkGroupName(name: string): void {
  if (name.length < 1 || name.length > 512) {
    throw constraint(name, 'logGroupName', 'Member must have length between 1 and 512');
  }
  if (!GROUP_NAME.test(name)) {
    throw constraint(name, 'logGroupName', 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+');
  }
}

/** Checks a log stream name against the model (length 1–512, `[^:*]*`). */
export function checkStreamName(name: string): void {
  if (name.length < 1 || name.length > 512) {
    throw constraint(name, 'logStreamName', 'Member must have length between 1 and 512');
  }
  if (!STREAM_NAME.test(name)) {
    throw constraint(name, 'logStreamName', 'Member must satisfy regular expression pattern: [^:*]*');
  }
}

/** The log group ARN as DescribeLogGroups' `arn` shows it: with a trailing `:*`. */
export const groupArnWithStar = (scope: Scope, name: string): string =>
  `${formatArn('logs', scope.region, scope.accountId, `log-group:${name}`)}:*`;

/** The log group ARN as `logGroupArn` and the tagging APIs use it: without `:*`. */
export const groupArn = (scope: Scope, name: string): string =>
  formatArn('logs', scope.region, scope.accountId, `log-group:${name}`);

/** A log stream's ARN. */
export const streamArn = (scope: Scope, group: string, stream: string): string =>
  formatArn('logs', scope.region, scope.accountId, `log-group:${group}:log-stream:${stream}`);

/**
 * The group name a `logGroupIdentifier` names: a name, or a log group ARN (with or without `:*`)
 * of this account and region. A log group ARN of another account or region names a group this
 * platform does not have.
 */
export function groupNameOf(scope: Scope, identifier: string): string {
  if (!identifier.startsWith('arn:')) return identifier;
  const arn = parseArn(identifier);
  const resource = arn?.resource ?? '';
  if (!arn || arn.service !== 'logs' || !resource.startsWith('log-group:')) {
    throw invalidParameter(`Invalid log group identifier: ${identifier}`);
  }
  if (arn.region !== scope.region || arn.accountId !== scope.accountId) throw groupNotFound();
  const name = resource.slice('log-group:'.length);
  return name.endsWith(':*') ? name.slice(0, -2) : name;
}
