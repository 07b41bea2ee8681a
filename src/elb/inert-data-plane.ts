import type { LoadBalancerDataPlane, ProxyConfig } from '../lb-proxy/proxy-config.js';

/**
 * A stand-in data plane that serves nothing: it accepts every config (so load balancers turn
 * `active`) and observes no health (so targets of used groups stay `initial`). It holds the
 * place of the HAProxy data plane of lb-proxy/ until that is composed in; `lastConfig` shows
 * what would be served.
 */
export class InertDataPlane implements LoadBalancerDataPlane {
  lastConfig: ProxyConfig | undefined;

  apply(config: ProxyConfig): Promise<void> {
    this.lastConfig = config;
    return Promise.resolve();
  }

  targetHealth(): [] {
    return [];
  }

  onHealthChange(): void {}

  close(): Promise<void> {
    return Promise.resolve();
  }
}
