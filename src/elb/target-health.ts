import type { ObservedTargetHealth } from '../lb-proxy/proxy-config.js';
import type { TargetGroupRecord, TargetRecord } from './records.js';

/** ELB's TargetHealth: the state, and for all but `healthy` a reason code and its description. */
export interface TargetHealthView {
  state: 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';
  reason?: string;
  description?: string;
}

/**
 * A registered target's health as ELB reports it, from the record and what the data plane
 * observed: draining wins, then a group no load balancer uses (unused), then disabled checks
 * (unavailable), then the data plane's conclusion, `initial` until it has one.
 */
export function targetHealthOf(group: TargetGroupRecord, target: TargetRecord, inUse: boolean, observed: readonly ObservedTargetHealth[]): TargetHealthView {
  if (target.drainUntil !== undefined) {
    return { state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' };
  }
  if (!inUse) return { state: 'unused', reason: 'Target.NotInUse', description: 'Target group is not configured to receive traffic from the load balancer' };
  if (!group.healthCheck.enabled) return { state: 'unavailable', reason: 'Target.HealthCheckDisabled', description: 'Health checks are disabled' };
  const seen = observed.find((o) => o.id === target.id && o.port === target.port);
  if (!seen) return { state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' };
  if (seen.state === 'initial') return { state: 'initial', reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' };
  if (seen.state === 'healthy') return { state: 'healthy' };
  return { state: 'unhealthy', reason: seen.reason ?? 'Target.FailedHealthChecks', description: seen.description ?? 'Health checks failed' };
}

/** What DescribeTargetHealth answers for a target that was named but is not registered. */
export const NOT_REGISTERED: TargetHealthView = { state: 'unused', reason: 'Target.NotRegistered', description: 'Target is not registered to the target group' };
