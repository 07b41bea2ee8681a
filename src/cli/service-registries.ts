import type { ServiceRegistries } from '../control/services/traffic-ports.js';
import type { Discovery } from '../discovery/discovery.js';
import { DiscoverySubject } from '../discovery/errors.js';
import { isDomainError } from '../lib/errors.js';

/** A Cloud Map lookup that found nothing answers undefined; any other failure stays an error. */
async function unlessMissing<T>(subjects: readonly string[], run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if (isDomainError(err) && subjects.includes(err.subject ?? '')) return undefined;
    throw err;
  }
}

/** The ECS scheduler's ServiceRegistries port over the Cloud Map domain. */
export function serviceRegistriesOver(discovery: Discovery): ServiceRegistries {
  return {
    async describeService(scope, arn) {
      const service = await unlessMissing([DiscoverySubject.Service], () => discovery.services.get(scope, arn));
      return service && { arn: service.arn, id: service.id, dnsRecordTypes: (service.dnsConfig?.records ?? []).map((r) => r.type) };
    },
    async registerInstance(scope, serviceArn, instanceId, attributes) {
      await discovery.instances.register(scope, { serviceId: serviceArn, instanceId, attributes });
    },
    async deregisterInstance(scope, serviceArn, instanceId) {
      // Idempotent, as the port requires: an instance (or registry) already gone is deregistered.
      await unlessMissing([DiscoverySubject.Service, DiscoverySubject.Instance], () => discovery.instances.deregister(scope, serviceArn, instanceId));
    },
  };
}
