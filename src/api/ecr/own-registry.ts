import { DomainError, ErrorKind } from '../../lib/errors.js';
import { formatArn } from '../../lib/arn.js';
import type { OperationHandler } from '../../server/service.js';

/** The error subject of a request that names another account's registry (ECR's table: AccessDeniedException). */
export const FOREIGN_REGISTRY = 'foreign-registry';

interface RegistryInput {
  registryId?: string;
  repositoryName?: string;
  repositoryNames?: string[];
}

/**
 * `handlers`, each refusing a `registryId` other than the caller's account. This endpoint holds one
 * account's registry, so another id names a registry that is not here; acting on the caller's own
 * instead would answer (or change) the wrong repositories. ECR answers a caller without a grant
 * from the other account with AccessDeniedException, IAM's sentence ending "because no
 * resource-based policy allows the <action> action"; so does this. The caller's own id (Terraform
 * passes it from state) acts as if omitted.
 */
export function ownRegistryOnly(handlers: Readonly<Record<string, OperationHandler>>): Record<string, OperationHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([operation, handler]): [string, OperationHandler] => [
      operation,
      async (input: RegistryInput | undefined, ctx) => {
        const registryId = input?.registryId;
        if (registryId !== undefined && registryId !== ctx.scope.accountId) {
          const action = `ecr:${operation}`;
          const repository = input?.repositoryName ?? input?.repositoryNames?.[0];
          const resource = formatArn('ecr', ctx.scope.region, registryId, repository === undefined ? 'repository/*' : `repository/${repository}`);
          throw new DomainError(
            ErrorKind.AccessDenied,
            `User: ${ctx.scope.principalArn} is not authorized to perform: ${action} on resource: ${resource} because no resource-based policy allows the ${action} action`,
            FOREIGN_REGISTRY,
          );
        }
        return handler(input, ctx);
      },
    ]),
  );
}
