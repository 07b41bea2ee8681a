import { withCommonErrors } from '../api/secretsmanager/common-errors.js';
import type { Authorizer } from '../iam/authorization.js';
import { DomainError, ErrorKind } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';
import type { SecretsManager } from '../secrets/secrets-manager/secrets-manager.js';
import type { AwsService, OperationHandler } from '../server/service.js';

/** The IAM action and resource ARN an operation's request is authorised for. */
// Inputs arrive validated against the model.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RequestTarget = (input: any, scope: Scope) => Promise<{ action: string; resource: string }>;

/**
 * A copy of `service` whose listed operations are authorised first: a request made with an
 * assumed role's credentials that the role's policies do not allow is refused with
 * AccessDeniedException and AWS's message. The first slice of authorisation by policy.
 */
export function authorizing(service: AwsService, authorizer: Authorizer, targets: Readonly<Record<string, RequestTarget>>): AwsService {
  const handlers: Record<string, OperationHandler> = { ...service.handlers };
  for (const [operation, target] of Object.entries(targets)) {
    const handler = service.handlers[operation]!;
    handlers[operation] = async (input, ctx) => {
      const { action, resource } = await target(input, ctx.scope);
      const decision = await authorizer.decide(ctx.scope, action, resource);
      if (!decision.allowed) throw new DomainError(ErrorKind.AccessDenied, decision.message);
      return handler(input, ctx);
    };
  }
  return { ...service, model: withCommonErrors(service.model, ['AccessDeniedException']), handlers };
}

/** Secrets Manager's GetSecretValue: the secret's full ARN (the id as given when no secret has it). */
export const secretTarget =
  (secrets: SecretsManager): RequestTarget =>
  async (input: { SecretId: string }, scope) => {
    const known = await secrets.describe(scope, input.SecretId).catch(() => undefined);
    const resource = known?.arn ?? (input.SecretId.startsWith('arn:') ? input.SecretId : `arn:aws:secretsmanager:${scope.region}:${scope.accountId}:secret:${input.SecretId}`);
    return { action: 'secretsmanager:GetSecretValue', resource };
  };

/** CloudWatch Logs' PutLogEvents: the log stream's ARN. */
export const logStreamTarget: RequestTarget = async (input: { logGroupName?: string; logStreamName: string }, scope) => ({
  action: 'logs:PutLogEvents',
  resource: `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${input.logGroupName ?? ''}:log-stream:${input.logStreamName}`,
});
