/**
 * The one small set of domain errors. Domain code throws these with context; each API edge
 * translates them to its wire shape (AWS exception names, OCI error codes) in one table.
 */
export const ErrorKind = {
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  InvalidArgument: 'InvalidArgument',
  FailedPrecondition: 'FailedPrecondition',
  Conflict: 'Conflict',
  LimitExceeded: 'LimitExceeded',
  AccessDenied: 'AccessDenied',
  Unavailable: 'Unavailable',
  Internal: 'Internal',
} as const;
/** One of {@link ErrorKind}. */
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

/**
 * A domain failure. `subject` narrows the kind for the edge tables (e.g. NotFound of a `cluster`,
 * FailedPrecondition `cluster-has-tasks`), so that each API can name the exception its callers expect.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly subject?: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

/** A request member has a value the API does not accept (AWS: InvalidParameterException). */
export const invalidParameter = (message: string): DomainError =>
  new DomainError(ErrorKind.InvalidArgument, message, 'parameter');

/** The request as a whole breaks a rule of the API (AWS ECS: ClientException). */
export const invalidRequest = (message: string): DomainError =>
  new DomainError(ErrorKind.InvalidArgument, message, 'request');

/** The named resource does not exist. */
export const notFound = (subject: string, message: string): DomainError =>
  new DomainError(ErrorKind.NotFound, message, subject);

/** The resource is not in a state that allows the operation. */
export const failedPrecondition = (subject: string, message: string): DomainError =>
  new DomainError(ErrorKind.FailedPrecondition, message, subject);

/** Narrows an unknown thrown value to a DomainError. */
export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;
