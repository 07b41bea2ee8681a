import type { Logger } from 'pino';
import { Certificates } from '../certificates/certificates.js';
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
  /** Publishes the load balancers' traffic metrics through `sink` every `intervalMs` until closed. */
  publishMetrics(sink: LoadBalancerMetricSink, intervalMs: number): void;
  /** Stops the drain timers, then HAProxy (its files and /etc/hosts block go with it). */
  close(): Promise<void>;
}

/**
 * Opens load balancing over the store: imported certificates (private keys sealed by `cipher`,
 * as secrets are), the ELB control plane, and HAProxy as its data plane (one a crash left serving
 * is adopted). `elb.start()` is the caller's, once the rest of the platform is up.
 */
export async function openLoadBalancing(store: Store, cipher: ValueCipher, dataDir: string, config: PlatformConfig, logger: Logger): Promise<LoadBalancing> {
  const certificates = new Certificates(store, cipher);
  const dataPlane = await HaproxyDataPlane.open({ dataDir, onError: (err) => logger.error({ err }, 'load balancer data plane') });
  const elb = createElbDomain({
    store,
    dataPlane,
    certificates,
    // Instance targets (bridge and host tasks) are reached at the host port of the host they run on:
    // the control host's own on loopback. Container instances' addresses are not known here yet,
    // so their targets are refused as InvalidTarget.
    instanceAddress: (id) => (id === CONTROL_HOST_TARGET_ID ? '127.0.0.1' : undefined),
    subnet: parseSubnet(config.lbSubnet ?? DEFAULT_LB_SUBNET),
    onError: (err: unknown, what: string) => logger.error({ err }, what),
  });
  certificates.setUsage((arn) => elb.certificateUsers(arn));
  let stopMetrics = (): void => undefined;
  return {
    certificates,
    elb,
    publishMetrics(sink, intervalMs) {
      stopMetrics();
      stopMetrics = dataPlane.publishMetrics(sink, intervalMs);
    },
    async close() {
      stopMetrics();
      await elb.close();
      await dataPlane.close();
    },
  };
}
