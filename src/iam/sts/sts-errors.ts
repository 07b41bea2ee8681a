import { DomainError, ErrorKind } from '../../lib/errors.js';

/** STS's failures, worded as STS words them; the API's error table names the exceptions. */

/** AccessDenied: the caller may not assume the role (missing, or its trust policy does not name the caller). */
export const notAuthorizedToAssume = (callerArn: string, roleArn: string): DomainError =>
  new DomainError(ErrorKind.AccessDenied, `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);

export const accessDenied = (message: string): DomainError => new DomainError(ErrorKind.AccessDenied, message);

/** STS's ValidationError. */
export const validationError = (message: string): DomainError => new DomainError(ErrorKind.InvalidArgument, message, 'validation');

export const malformedSessionPolicy = (message: string): DomainError => new DomainError(ErrorKind.InvalidArgument, message, 'malformed-policy');

export const packedPolicyTooLarge = (): DomainError =>
  new DomainError(ErrorKind.LimitExceeded, 'Serialized token too large for session', 'packed-policy');
