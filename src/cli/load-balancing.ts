import { join } from 'node:path';
import type { Logger } from 'pino';
import { SubnetRouteTable, type AddressedInstance } from '../agent-gateway/subnet-route-table.js';
import { Certificates } from '../certificates/certificates.js';
import { CLUSTER_MEMBERS } from '../control/clusters/activity.js';
import { InstanceStatus, type ContainerInstanceRecord } from '../control/container-instances/container-instance.js';
import { CONTROL_HOST_TARGET_ID } from '../control/services/target-plan.js';
import { parseSubnet } from '../elb/addresses.js';
import { createElbDomain, type ElbDomain } from '../elb/elb-domain.js';
import { HaproxyDataPlane } from '../lb-proxy/haproxy-data-plane.js';
import type { LoadBalancerMetricSink } from '../lb-proxy/metrics-port.js';
import type { ValueCipher } from '../secrets/crypto/value-cipher.js';
import type { Store } from '../store/store.js';
import { DEFAULT_LB_SUBNET, type PlatformConfig } from './config.js';

/** Load balancing as the platform composes it: ACM's certificates, the ELB control plane and its HAProxy data plane. */
export interface LoadBalancing {
  certificates: Certificates;
  elb: ElbDomain;
  /** The address the load balancers reach a container instance's tasks from (by its ARN), while it is routed. */
  sourceToward(containerInstanceArn: string): string | undefined;
  /** Publishes the load balancers' traffic metrics through `sink` every `intervalMs` until closed. */
  publishMetrics(sink: LoadBalancerMetricSink, intervalMs: number): void;
  /** Stops the drain timers, then HAProxy (its files and /etc/hosts block go with it), then removes the routes to agents' task subnets. */
  close(): Promise<void>;
}

/**
 * Opens load balancing over the store: imported certificates (private keys sealed by `cipher`,
 * as secrets are), the ELB control plane, and HAProxy as its data plane (one a crash left serving
 * is adopted). `elb.start()` is the caller's, once the rest of the platform is up.
 */
export async function openLoadBalancing(store: Store, cipher: ValueCipher, dataDir: string, config: PlatformConfig, logger: Logger): Promise<LoadBalancing> {
  const certificates = new Certificates(store, cipher);
  // The load balancers reach other hosts' tasks as a VPC routes between instances: a route to each
  // agent's task subnet via its address (ip targets), and its address for its host ports (instance targets).
  const routes = new SubnetRouteTable({
    stateFile: join(dataDir, 'agent-routes.json'),
    instances: () => routedInstances(store),
    own: [config.taskSubnet, config.lbSubnet ?? DEFAULT_LB_SUBNET],
    log: logger,
  });
  await routes.reconcile().catch((err: unknown) => logger.warn({ err }, 'reconciling the routes to agents failed'));
  routes.start(ROUTE_RECONCILE_MS);
  const dataPlane = await HaproxyDataPlane.open({ dataDir, onError: (err) => logger.error({ err }, 'load balancer data plane') }).catch(async (err: unknown) => {
    await routes.close();
    throw err;
  });
  const elb = createElbDomain({
    store,
    dataPlane,
    certificates,
    // Instance targets (bridge and host tasks) are reached at the host port of the host they run on:
    // the control host's own on loopback, an agent's on the address it registered with. An instance
    // whose agent reported no address is refused as InvalidTarget.
    instanceAddress: (id) => (id === CONTROL_HOST_TARGET_ID ? '127.0.0.1' : routes.addressOf(id)),
    subnet: parseSubnet(config.lbSubnet ?? DEFAULT_LB_SUBNET),
    onError: (err: unknown, what: string) => logger.error({ err }, what),
  });
  certificates.setUsage((arn) => elb.certificateUsers(arn));
  let stopMetrics = (): void => undefined;
  return {
    certificates,
    elb,
    sourceToward: (containerInstanceArn) => routes.sourceToward(containerInstanceArn.slice(containerInstanceArn.lastIndexOf('/') + 1)),
    publishMetrics(sink, intervalMs) {
      stopMetrics();
      stopMetrics = dataPlane.publishMetrics(sink, intervalMs);
    },
    async close() {
      stopMetrics();
      await elb.close();
      await dataPlane.close();
      await routes.close();
    },
  };
}

/** How often the routes follow the agents' registrations and deregistrations. */
const ROUTE_RECONCILE_MS = 2_000;

/** Every container instance of every cluster, as the route table reads it. */
async function routedInstances(store: Store): Promise<AddressedInstance[]> {
  const records = await store.collection<ContainerInstanceRecord>(CLUSTER_MEMBERS.containerInstances).list();
  return records.map(({ value: r }) => ({
    containerInstanceArn: r.containerInstanceArn,
    ids: [r.id, r.ec2InstanceId],
    registered: r.status !== InstanceStatus.Inactive,
    ...(r.address !== undefined && { address: r.address }),
    ...(r.taskSubnet !== undefined && { taskSubnet: r.taskSubnet }),
  }));
}
