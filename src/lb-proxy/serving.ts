/**
 * Which targets of a group receive new requests, from their observed health: ELB's rules as a
 * pure function, so the configuration generator and the runtime updates agree.
 */
import type { ProxyTarget, ProxyTargetGroup } from './proxy-config.js';

/** The health a target is in, as the checks concluded. */
export type HealthState = 'initial' | 'healthy' | 'unhealthy';

/**
 * Draining targets never serve. With checks disabled every other target serves. Otherwise the
 * healthy ones serve; when none is healthy and every target is unhealthy the group fails open
 * (all of them serve, as an ALB does); a target still `initial` never serves, so a group of only
 * new targets answers the load balancer's own 503.
 */
export function servingTargets(group: ProxyTargetGroup, stateOf: (target: ProxyTarget) => HealthState): ProxyTarget[] {
  const active = group.targets.filter((t) => !t.draining);
  if (!group.healthCheck.enabled) return active;
  const states = active.map((t) => stateOf(t));
  const healthy = active.filter((_, i) => states[i] === 'healthy');
  if (healthy.length > 0) return healthy;
  if (active.length > 0 && states.every((s) => s === 'unhealthy')) return active;
  return [];
}
