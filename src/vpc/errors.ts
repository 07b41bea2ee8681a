import { DomainError, ErrorKind } from '../lib/errors.js';

/**
 * The domain's errors; `subject` names what EC2's error code is about (see api/ec2/errors.ts,
 * where each becomes EC2's code).
 */
export const notFoundError = (subject: string, message: string) => new DomainError(ErrorKind.NotFound, message, subject);
export const duplicate = (subject: string, message: string) => new DomainError(ErrorKind.AlreadyExists, message, subject);
export const invalidValue = (message: string) => new DomainError(ErrorKind.InvalidArgument, message, 'parameter');
export const missingParameter = (message: string) => new DomainError(ErrorKind.InvalidArgument, message, 'missing');
export const combination = (message: string) => new DomainError(ErrorKind.InvalidArgument, message, 'combination');
export const dependencyViolation = (message: string) => new DomainError(ErrorKind.FailedPrecondition, message, 'dependency');
export const limitExceeded = (subject: string, message: string) => new DomainError(ErrorKind.LimitExceeded, message, subject);
export const rangeError = (subject: 'vpc-range' | 'subnet-range', message: string) => new DomainError(ErrorKind.InvalidArgument, message, subject);
export const conflict = (subject: string, message: string) => new DomainError(ErrorKind.Conflict, message, subject);
export const precondition = (subject: string, message: string) => new DomainError(ErrorKind.FailedPrecondition, message, subject);

/** EC2's message for an id of `kind` that does not exist, e.g. "The vpc ID 'vpc-1' does not exist". */
export const idNotFound = (subject: string, label: string, id: string) => notFoundError(subject, `The ${label} ID '${id}' does not exist`);
