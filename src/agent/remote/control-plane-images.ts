import type { RegistryAuth } from '../../agent-contract/protocol.js';
import type { RunnerImages } from '../task/ports.js';

/** ECR's registry host name: `<account>.dkr.ecr.<region>.amazonaws.com`. */
const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/;

/** Where the control plane's registry is, and the credentials the agent holds for it. */
export interface ControlPlaneRegistry {
  /** The control plane's endpoint URLs (its registry serves `/v2/` at each). */
  endpoints: readonly string[];
  /** The endpoint to pull from now (the one the agent talks to). */
  current(): string;
  /** The cluster's account (known once registered). */
  accountId(): string | undefined;
  /** The freshest credentials received for a region. */
  auth(region: string): RegistryAuth | undefined;
}

/** Pulls with an image store of this shape (ImageStore's). */
export interface ImagePuller {
  pull(image: string, options?: { auth?: { username: string; password: string }; insecure?: boolean }): ReturnType<RunnerImages['pull']>;
}

/**
 * Pulls for tasks on a remote agent. Images of the control plane's own registry — named by one of
 * its endpoint hosts, or by the account's ECR host name, which is not a real host here — are pulled
 * from the current endpoint with the short-lived credentials the control plane sent with the launch.
 * Everything else is pulled as the task says.
 */
export function controlPlaneImages(store: ImagePuller, registry: ControlPlaneRegistry): RunnerImages {
  const hosts = new Set(registry.endpoints.map((e) => new URL(e).host));
  return {
    async pull(image, options = {}) {
      const slash = image.indexOf('/');
      const host = slash < 0 ? '' : image.slice(0, slash);
      const ecr = ECR_HOST.exec(host);
      const ours = hosts.has(host) || (ecr !== null && ecr[1] === registry.accountId());
      if (!ours || options.auth) return store.pull(image, options.auth ? { auth: options.auth } : {});
      const auth = registry.auth(ecr?.[2] ?? options.region ?? 'us-east-1');
      const url = new URL(registry.current());
      return store.pull(`${url.host}${image.slice(slash)}`, {
        insecure: url.protocol === 'http:',
        ...(auth && { auth: { username: auth.username, password: auth.password } }),
      });
    },
  };
}
