import type { Scope } from '../../../lib/scope.js';
import { ACCESS_DENIED_EXCEPTION, each, regional, type AuthorizationTable, type Input, type Resources } from '../table.js';

/*
 * Systems Manager Parameter Store (prefix `ssm`). The parameter operations act on the parameter's
 * ARN, `parameter/<name without its leading slash>` (a version or label selector, `name:3`, is
 * not part of it); GetParameters and DeleteParameters on each name; GetParametersByPath on the
 * path's ARN; the tagging operations on the parameter when ResourceType is Parameter. On `*`:
 * DescribeParameters (as AWS), and tagging of other resource types.
 */

export function parameterArn(scope: Scope, name: string): string {
  if (name.startsWith('arn:')) {
    // arn:aws:ssm:<region>:<account>:parameter/<name>[:<selector>]
    const parts = name.split(':');
    return parts.slice(0, 6).join(':');
  }
  const bare = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
  return regional('ssm', scope, `parameter/${bare.startsWith('/') ? bare.slice(1) : bare}`);
}

const parameter: Resources = (input: Input, scope) => [parameterArn(scope, input.Name)];
const parameters: Resources = (input: Input, scope) => each(input.Names, (name) => parameterArn(scope, name));
const taggedParameter: Resources = (input: Input, scope) => [input.ResourceType === 'Parameter' ? parameterArn(scope, input.ResourceId) : undefined];

export const SSM_AUTHORIZATION: AuthorizationTable = {
  prefix: 'ssm',
  denial: ACCESS_DENIED_EXCEPTION,
  resources: {
    PutParameter: parameter,
    GetParameter: parameter,
    DeleteParameter: parameter,
    GetParameterHistory: parameter,
    LabelParameterVersion: parameter,
    UnlabelParameterVersion: parameter,
    GetParameters: parameters,
    DeleteParameters: parameters,
    GetParametersByPath: (input: Input, scope) => [parameterArn(scope, input.Path)],
    AddTagsToResource: taggedParameter,
    RemoveTagsFromResource: taggedParameter,
    ListTagsForResource: taggedParameter,
  },
};
