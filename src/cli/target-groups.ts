import type { TargetGroups } from '../control/services/traffic-ports.js';
import type { ElbForServices } from '../elb/elb-domain.js';
import { isDomainError } from '../lib/errors.js';

const missingGroup = (err: unknown) => isDomainError(err) && err.subject === 'target-group';

/** The ECS scheduler's TargetGroups port over the ELB control plane. */
export function targetGroupsOver(elb: ElbForServices): TargetGroups {
  return {
    async describe(scope, arn) {
      try {
        const group = await elb.describeTargetGroup(scope, arn);
        return {
          arn: group.arn,
          targetType: group.targetType,
          port: group.port,
          protocol: group.protocol,
          loadBalancerArns: group.loadBalancerArns,
          deregistrationDelaySeconds: Number(group.attributes['deregistration_delay.timeout_seconds'] ?? 300),
        };
      } catch (err) {
        if (missingGroup(err)) return undefined;
        throw err;
      }
    },
    register: (scope, arn, targets) => elb.registerTargets(scope, arn, targets),
    async deregister(scope, arn, targets) {
      // Idempotent, as the port requires: only what is still registered (or draining) is deregistered,
      // and a deleted group has nothing left to drain.
      try {
        const group = await elb.describeTargetGroup(scope, arn);
        const registered = targets.filter((t) => group.targets.some((r) => r.id === t.id && r.port === t.port));
        if (registered.length > 0) await elb.deregisterTargets(scope, arn, registered);
      } catch (err) {
        if (!missingGroup(err)) throw err;
      }
    },
    async health(scope, arn, targets) {
      try {
        const entries = await elb.targetHealth(scope, arn, targets);
        return entries.map((e) => ({
          id: e.id,
          port: e.port,
          state: e.health.state,
          ...(e.health.reason !== undefined && { reason: e.health.reason }),
          ...(e.health.description !== undefined && { description: e.health.description }),
        }));
      } catch (err) {
        if (missingGroup(err)) return [];
        throw err;
      }
    },
  };
}
