import { DomainError, ErrorKind } from '../lib/errors.js';

/**
 * The domain errors of ELB, by subject; api/elbv2/errors.ts names each one's exception
 * (LoadBalancerNotFound, DuplicateListener, PriorityInUse, ...).
 */
export const elbNotFound = (subject: 'load-balancer' | 'target-group' | 'listener' | 'rule' | 'certificate', message: string) =>
  new DomainError(ErrorKind.NotFound, message, subject);

export const duplicate = (subject: 'load-balancer' | 'target-group' | 'listener' | 'tag-keys', message: string) =>
  new DomainError(ErrorKind.AlreadyExists, message, subject);

/** A model-level or value-level fault of the request: ELB's ValidationError. */
export const validation = (message: string) => new DomainError(ErrorKind.InvalidArgument, message, 'validation');

/** A request that is well formed but not a configuration ELB (or minato) accepts. */
export const invalidConfiguration = (message: string) => new DomainError(ErrorKind.InvalidArgument, message, 'configuration');

export const invalidTarget = (message: string) => new DomainError(ErrorKind.InvalidArgument, message, 'target');

export const incompatibleProtocols = (message: string) => new DomainError(ErrorKind.InvalidArgument, message, 'incompatible-protocols');

export const unsupportedProtocol = (message: string) => new DomainError(ErrorKind.InvalidArgument, message, 'unsupported-protocol');

export const invalidAction = (message: string) => new DomainError(ErrorKind.InvalidArgument, message, 'load-balancer-action');

export const tooMany = (
  subject: 'targets' | 'rules' | 'load-balancers' | 'target-groups' | 'listeners' | 'tags' | 'certificates' | 'actions' | 'target-group-association',
  message: string,
) => new DomainError(ErrorKind.LimitExceeded, message, subject);

export const priorityInUse = (message: string) => new DomainError(ErrorKind.Conflict, message, 'priority');

export const resourceInUse = (message: string) => new DomainError(ErrorKind.FailedPrecondition, message, 'in-use');

export const notPermitted = (message: string) => new DomainError(ErrorKind.FailedPrecondition, message, 'operation-not-permitted');
