import type { Logger } from 'pino';
import { errorHttpStatus, operationErrors } from '../aws-model/service-model.js';
import { validateInput } from '../aws-model/validate-input.js';
import { isDomainError } from '../lib/errors.js';
import { AwsError } from './aws-error.js';
import type { AwsService, RequestContext } from './service.js';

/**
 * Runs one operation of a service: model validation, the handler, and the translation of any
 * failure into the AWS error the operation's callers expect. Shared by both wire protocols.
 */
export async function invokeOperation(
  service: AwsService,
  operation: string,
  input: unknown,
  ctx: RequestContext,
  log: Logger,
): Promise<unknown> {
  const handler = Object.hasOwn(service.handlers, operation) ? service.handlers[operation] : undefined;
  if (!handler) {
    // An operation of the API that minato does not serve is refused by name, never half-done.
    const modelled = Object.hasOwn(service.model.operations, operation);
    const message = modelled
      ? `${operation} is an operation of ${service.model.metadata.serviceId} that this endpoint does not implement.`
      : `Unknown operation ${operation}.`;
    throw new AwsError('UnknownOperationException', message);
  }
  const problem = validateInput(service.model, operation, input);
  if (problem) {
    throw problem.kind === 'serialization'
      ? new AwsError('SerializationException', problem.message)
      : new AwsError(service.constraintErrorName, problem.message);
  }
  try {
    // A `null` body is an empty input, as the validator read it (see validateInput on nulls).
    return await handler(input ?? {}, ctx);
  } catch (err) {
    throw toAwsError(service, operation, err, ctx, log);
  }
}

/** Translates a failure inside a handler; anything unexpected is logged and hidden behind a 500. */
function toAwsError(service: AwsService, operation: string, err: unknown, ctx: RequestContext, log: Logger): AwsError {
  if (err instanceof AwsError) return err;
  if (isDomainError(err)) {
    const name = service.errorName(err, operation);
    const known = operationErrors(service.model, operation);
    const status = err.kind === 'Internal' || err.kind === 'Unavailable' ? 500 : 400;
    // A name the model does not list for this operation would surprise the SDK; fall back to
    // the service's generic client or server exception, which every operation lists.
    // The service's own status for the exception, else the model's (404, 409, 403…), as AWS answers.
    if (known.has(name) || service.unmodelledErrors) return new AwsError(name, err.message, service.errorStatuses?.[name] ?? errorHttpStatus(service.model, name) ?? status, err.details);
    const generic = service.genericErrorNames;
    return new AwsError(status >= 500 ? generic.server : generic.client, err.message, status);
  }
  log.error({ err, operation, requestId: ctx.requestId }, 'operation failed unexpectedly');
  return new AwsError(service.genericErrorNames.server, 'Server error.', 500);
}
