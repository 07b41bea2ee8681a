import type { EcsServiceTarget } from '../autoscaling/ports.js';
import type { Services } from '../control/services/services.js';
import { isDomainError } from '../lib/errors.js';

/**
 * The ECS service a scalable target scales, over control/'s Services: DescribeServices' counts,
 * and UpdateService's desiredCount (which nudges the service scheduler). A deployment is in
 * progress while the service has more than one deployment (a rollout replacing tasks).
 */
export function ecsServiceTarget(services: Services): EcsServiceTarget {
  return {
    async describe(scope, cluster, service) {
      let found;
      try {
        found = (await services.describe(scope, cluster, [service])).found[0];
      } catch (err) {
        if (isDomainError(err) && err.kind === 'NotFound') return undefined;
        throw err;
      }
      if (!found || found.status !== 'ACTIVE') return undefined;
      return { desiredCount: found.desiredCount, runningCount: found.runningCount, deploymentInProgress: found.deployments.length > 1 };
    },
    async setDesiredCount(scope, cluster, service, count) {
      await services.update(scope, { cluster, service, desiredCount: count });
    },
  };
}
