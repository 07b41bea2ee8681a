import { DomainError, ErrorKind } from '../lib/errors.js';

/** The subjects of the discovery domain's errors; `api/servicediscovery/errors.ts` names their exceptions. */
export const DiscoverySubject = {
  Namespace: 'sd-namespace',
  Service: 'sd-service',
  Instance: 'sd-instance',
  Operation: 'sd-operation',
  Resource: 'sd-resource',
  NamespaceExists: 'sd-namespace-exists',
  ServiceExists: 'sd-service-exists',
  InUse: 'sd-in-use',
  DuplicateRequest: 'sd-duplicate-request',
  CustomHealth: 'sd-custom-health',
  TooManyTags: 'sd-too-many-tags',
  Input: 'sd-input',
} as const;

/** Cloud Map's InvalidInput: one or more values are not valid. */
export const invalidInput = (message: string): DomainError => new DomainError(ErrorKind.InvalidArgument, message, DiscoverySubject.Input);

export const namespaceNotFound = (id: string): DomainError =>
  new DomainError(ErrorKind.NotFound, `Namespace not found: ${id}`, DiscoverySubject.Namespace);
export const serviceNotFound = (id: string): DomainError =>
  new DomainError(ErrorKind.NotFound, `Service not found: ${id}`, DiscoverySubject.Service);
export const instanceNotFound = (id: string): DomainError =>
  new DomainError(ErrorKind.NotFound, `Instance not found: ${id}`, DiscoverySubject.Instance);
export const operationNotFound = (id: string): DomainError =>
  new DomainError(ErrorKind.NotFound, `Operation not found: ${id}`, DiscoverySubject.Operation);
export const resourceNotFound = (arn: string): DomainError =>
  new DomainError(ErrorKind.NotFound, `Resource not found: ${arn}`, DiscoverySubject.Resource);

export const resourceInUse = (message: string): DomainError =>
  new DomainError(ErrorKind.FailedPrecondition, message, DiscoverySubject.InUse);

/** The same CreatorRequestId came with another request; AWS names the operation it started. */
export const duplicateRequest = (operationId: string | undefined): DomainError =>
  new DomainError(ErrorKind.Conflict, 'The request is a duplicate of an earlier request with different parameters.', DiscoverySubject.DuplicateRequest, {
    ...(operationId !== undefined && { DuplicateOperationId: operationId }),
  });
