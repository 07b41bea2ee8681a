/**
 * How requests name a scalable target (namespace, resource id, dimension), checked once, and
 * AWS's messages for targets, policies and actions that are not there.
 */
import { DomainError, ErrorKind, notFound } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';
import type { Collection } from '../store/store.js';
import { ECS_DESIRED_COUNT, ecsService, targetKey, type TargetRecord } from './records.js';

/** A request's target reference. */
export interface TargetRef {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
}

/** A ValidationException. */
export const validation = (message: string): DomainError => new DomainError(ErrorKind.InvalidArgument, message, 'validation');

/** Refuses what minato does not scale: only ECS services' desired counts. */
export function checkNamespace(namespace: string, dimension?: string): void {
  if (namespace !== 'ecs' || (dimension !== undefined && dimension !== ECS_DESIRED_COUNT)) {
    throw validation('Unsupported service namespace, resource type or scalable dimension');
  }
}

/** The checked reference: its key and the ECS service it names. */
export function resolveRef(scope: Scope, ref: TargetRef): { key: string; cluster: string; service: string } {
  checkNamespace(ref.ServiceNamespace, ref.ScalableDimension);
  const svc = ecsService(ref.ResourceId);
  if (!svc) throw validation(`Unsupported resource ID format: ${ref.ResourceId}. An ECS service is named service/<cluster-name>/<service-name>`);
  return { key: targetKey(scope.accountId, scope.region, ref.ScalableDimension, ref.ResourceId), ...svc };
}

const describeRef = (ref: TargetRef): string =>
  `service namespace: ${ref.ServiceNamespace}, resource ID: ${ref.ResourceId}, scalable dimension: ${ref.ScalableDimension}`;

/** ObjectNotFoundException for a target never registered. */
export const noTarget = (ref: TargetRef): DomainError => notFound('object', `No scalable target registered for ${describeRef(ref)}`);

/** ObjectNotFoundException for a policy. */
export const noPolicy = (ref: TargetRef, name: string): DomainError => notFound('object', `No scaling policy found for ${describeRef(ref)}, policy name: ${name}`);

/** ObjectNotFoundException for a scheduled action. */
export const noScheduledAction = (ref: TargetRef, name: string): DomainError =>
  notFound('object', `No scheduled action found for ${describeRef(ref)}, scheduled action name: ${name}`);

/** The registered target, or ObjectNotFoundException. */
export async function requireTarget(targets: Collection<TargetRecord>, key: string, ref: TargetRef): Promise<TargetRecord> {
  const target = await targets.get(key);
  if (!target) throw noTarget(ref);
  return target;
}
