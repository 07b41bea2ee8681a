import type { Scope } from '../../../lib/scope.js';
import { ACCESS_DENIED_EXCEPTION, regional, type AuthorizationTable, type Input, type Resources } from '../table.js';

/*
 * CloudWatch Logs (prefix `logs`). As AWS evaluates them (and names them in its refusals), the
 * log-group actions act on `log-group:<name>:log-stream:` and the stream actions on
 * `log-group:<name>:log-stream:<stream>`, so that the usual `log-group:<name>:*` matches both;
 * DescribeLogGroups acts on `log-group::log-stream:`. A group named by `logGroupIdentifier` (a name
 * or an ARN) counts as named. On `*`: TestMetricFilter. The tagging operations: the ARN they name.
 */

const groupName = (input: Input): string | undefined => {
  const id: string | undefined = input.logGroupName ?? input.logGroupIdentifier;
  if (id === undefined || !id.startsWith('arn:')) return id;
  const after = id.slice(id.indexOf(':log-group:') + ':log-group:'.length);
  return after.endsWith(':*') ? after.slice(0, -2) : after;
};
const streamArn = (scope: Scope, group: string, stream = '') => regional('logs', scope, `log-group:${group}:log-stream:${stream}`);
const group: Resources = (input, scope) => {
  const name = groupName(input);
  return [name === undefined ? undefined : streamArn(scope, name)];
};
const stream: Resources = (input, scope) => {
  const name = groupName(input);
  return [name === undefined ? undefined : streamArn(scope, name, input.logStreamName)];
};
const tagged: Resources = (input) => [input.resourceArn];

export const LOGS_AUTHORIZATION: AuthorizationTable = {
  prefix: 'logs',
  denial: ACCESS_DENIED_EXCEPTION,
  resources: {
    CreateLogGroup: group,
    DeleteLogGroup: group,
    DescribeLogGroups: (_input, scope) => [streamArn(scope, '')],
    PutRetentionPolicy: group,
    DeleteRetentionPolicy: group,
    PutLogGroupDeletionProtection: group,
    CreateLogStream: stream,
    DeleteLogStream: stream,
    DescribeLogStreams: group,
    PutLogEvents: stream,
    GetLogEvents: stream,
    FilterLogEvents: group,
    PutMetricFilter: group,
    DescribeMetricFilters: group,
    DeleteMetricFilter: group,
    TagLogGroup: group,
    UntagLogGroup: group,
    ListTagsLogGroup: group,
    TagResource: tagged,
    UntagResource: tagged,
    ListTagsForResource: tagged,
  },
};
