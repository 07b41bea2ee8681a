import { withCommonErrors } from '../../api/secretsmanager/common-errors.js';
import type { AuthorizationCheck, Authorizer, RequestFacts } from '../../iam/authorization.js';
import { AwsError } from '../../server/aws-error.js';
import type { AwsService, OperationHandler, RequestContext } from '../../server/service.js';
import { requestTags, type AuthorizationTable } from './table.js';

/**
 * A copy of `service` whose every operation is authorised before its handler runs: a request
 * made with an IAM user's or an assumed role's credentials must be allowed `<prefix>:<Operation>`
 * on each resource the table reads from its input (`*` where the action has no resource-level
 * permissions). A refusal answers the API's own denial error with IAM's message. The root's
 * requests, and unsigned calls, are not restricted (Authorizer.restricts).
 *
 * Operations on several resources (DescribeClusters, GetParameters, DeleteAlarms…) are checked on
 * each: one refused resource refuses the whole request, rather than answering a partial result.
 */
export function authorizing(service: AwsService, authorizer: Authorizer, table: AuthorizationTable): AwsService {
  const unrestricted = new Set(table.unrestricted ?? []);
  const handlers: Record<string, OperationHandler> = {};
  for (const [operation, handler] of Object.entries(service.handlers)) {
    if (unrestricted.has(operation)) {
      handlers[operation] = handler;
      continue;
    }
    handlers[operation] = async (input, ctx) => {
      if (authorizer.restricts(ctx.scope)) {
        const checks = await checksOf(table, operation, input, ctx);
        const decision = await authorizer.decideAll(ctx.scope, checks, factsOf(table, operation, input, ctx));
        if (!decision.allowed) throw new AwsError(table.denial.code, table.denial.message?.(decision.message) ?? decision.message, table.denial.status);
      }
      return handler(input, ctx);
    };
  }
  // The denial is thrown as the wire error itself, so the dispatcher passes it on; the model lists
  // it too, for what reads the model's errors (the console, the Query error codes).
  const model = service.unmodelledErrors ? service.model : withCommonErrors(service.model, [table.denial.code]);
  return { ...service, model, handlers };
}

/** The condition keys the request itself sets. */
function factsOf(table: AuthorizationTable, operation: string, input: unknown, ctx: RequestContext): RequestFacts {
  const tags = requestTags(input);
  const serviceKeys = table.context?.(input ?? {}, ctx.scope, operation);
  return {
    ...(ctx.sourceIp !== undefined && { sourceIp: ctx.sourceIp }),
    ...(ctx.secureTransport !== undefined && { secureTransport: ctx.secureTransport }),
    ...(tags && { requestTags: tags }),
    ...(serviceKeys && { serviceKeys }),
  };
}

/** The checks of one request: the operation's action on each of its resources, and any further ones. */
export async function checksOf(table: AuthorizationTable, operation: string, input: unknown, ctx: Pick<RequestContext, 'scope'>): Promise<AuthorizationCheck[]> {
  const action = `${table.prefix}:${operation}`;
  const read = Object.hasOwn(table.resources, operation) ? table.resources[operation] : table.fallback;
  const named = read ? (await read(input ?? {}, ctx.scope, operation)).filter((r): r is string => r !== undefined && r !== '') : [];
  const resources = named.length > 0 ? [...new Set(named)] : ['*'];
  const further = Object.hasOwn(table.also ?? {}, operation) ? await table.also![operation]!(input ?? {}, ctx.scope) : [];
  return [...resources.map((resource) => ({ action, resource })), ...further];
}
