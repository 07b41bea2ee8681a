import { DomainError, ErrorKind } from '../lib/errors.js';

/**
 * IAM's failures as domain errors. The messages are IAM's own wording (callers and tools match
 * on them); the subjects let the API's error table name IAM's exceptions.
 */

export const noSuchEntity = (message: string): DomainError => new DomainError(ErrorKind.NotFound, message, 'entity');

export const roleNotFound = (name: string): DomainError => noSuchEntity(`The role with name ${name} cannot be found.`);
export const userNotFound = (name: string): DomainError => noSuchEntity(`The user with name ${name} cannot be found.`);
export const groupNotFound = (name: string): DomainError => noSuchEntity(`The group with name ${name} cannot be found.`);

export const alreadyExists = (message: string): DomainError => new DomainError(ErrorKind.AlreadyExists, message, 'entity');

/** A policy document IAM would not accept. */
export const malformedPolicy = (message: string): DomainError => new DomainError(ErrorKind.InvalidArgument, message, 'malformed-policy');

/** IAM's InvalidInput: a value the operation does not accept. */
export const invalidInput = (message: string): DomainError => new DomainError(ErrorKind.InvalidArgument, message, 'parameter');

/** The entity still has things attached that must go first. */
export const deleteConflict = (message: string): DomainError => new DomainError(ErrorKind.FailedPrecondition, message, 'delete-conflict');

export const limitExceeded = (message: string): DomainError => new DomainError(ErrorKind.LimitExceeded, message);

/** A service-linked role or an AWS managed policy: only AWS changes them. */
export const unmodifiable = (message: string): DomainError => new DomainError(ErrorKind.FailedPrecondition, message, 'unmodifiable');
