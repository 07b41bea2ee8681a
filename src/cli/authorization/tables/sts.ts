import { ACCESS_DENIED, type AuthorizationTable, type Input } from '../table.js';

/*
 * STS (prefix `sts`). AssumeRole acts on the role's ARN: a role session assuming another role
 * (role chaining) needs its policies to allow it, besides the target role's trust policy.
 * GetCallerIdentity and GetSessionToken are never refused, as on AWS (no permission is needed to
 * authenticate). On `*`: GetAccessKeyInfo.
 */
export const STS_AUTHORIZATION: AuthorizationTable = {
  prefix: 'sts',
  denial: ACCESS_DENIED,
  resources: { AssumeRole: (input: Input) => [input.RoleArn] },
  unrestricted: ['GetCallerIdentity', 'GetSessionToken'],
};
