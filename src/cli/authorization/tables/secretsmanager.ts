import type { Scope } from '../../../lib/scope.js';
import { ACCESS_DENIED_EXCEPTION, regional, type AuthorizationTable, type Input, type Resources } from '../table.js';

/** Finds a secret's full ARN (with its random suffix) by name or ARN, or undefined. */
export type SecretArnLookup = (scope: Scope, secretId: string) => Promise<string | undefined>;

/*
 * Secrets Manager (prefix `secretsmanager`). Every operation on one secret is authorised on the
 * secret's full ARN (`secret:<name>-<6 characters>`, looked up, so that `secret:<name>-??????`
 * matches); a secret that does not exist as the id names it. CreateSecret acts on
 * `secret:<Name>` (its suffix is not drawn yet: `secret:<name>*` matches it, `-??????` does not).
 * BatchGetSecretValue is authorised on `*` and, as AWS does, needs GetSecretValue on each secret of
 * its SecretIdList (secrets picked by Filters are not checked one by one). On `*`: ListSecrets,
 * GetRandomPassword.
 */
export function secretsManagerAuthorization(lookup: SecretArnLookup): AuthorizationTable {
  const arnOf = async (scope: Scope, id: string): Promise<string> =>
    (await lookup(scope, id)) ?? (id.startsWith('arn:') ? id : regional('secretsmanager', scope, `secret:${id}`));
  const secret: Resources = async (input: Input, scope) => [await arnOf(scope, input.SecretId)];
  const onOneSecret = [
    'GetSecretValue',
    'PutSecretValue',
    'UpdateSecret',
    'DescribeSecret',
    'DeleteSecret',
    'RestoreSecret',
    'UpdateSecretVersionStage',
    'TagResource',
    'UntagResource',
    'ListSecretVersionIds',
    'PutResourcePolicy',
    'GetResourcePolicy',
    'DeleteResourcePolicy',
  ];
  return {
    prefix: 'secretsmanager',
    denial: ACCESS_DENIED_EXCEPTION,
    resources: {
      ...Object.fromEntries(onOneSecret.map((op) => [op, secret])),
      // A policy may be validated without a secret.
      ValidateResourcePolicy: async (input: Input, scope) => [input.SecretId === undefined ? undefined : await arnOf(scope, input.SecretId)],
      CreateSecret: (input: Input, scope) => [regional('secretsmanager', scope, `secret:${input.Name}`)],
    },
    also: {
      BatchGetSecretValue: async (input: Input, scope) =>
        Promise.all(((input.SecretIdList ?? []) as string[]).map(async (id) => ({ action: 'secretsmanager:GetSecretValue', resource: await arnOf(scope, id) }))),
    },
  };
}
