import type { RunnerImages } from '../agent/task/ports.js';
import type { ImageStore } from '../agent/images/image-store.js';
import type { Registry } from '../registry/registry.js';

/** ECR's registry host name: `<account>.dkr.ecr.<region>.amazonaws.com`. */
const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/;

/** How long the agent's own pull credentials live. */
const PULL_TOKEN_MS = 15 * 60 * 1000;

/**
 * Pulls for tasks, with minato's own registry reachable under both of its names: the endpoint
 * (`127.0.0.1:4566/repo:tag`) and the ECR host name of this account (`<account>.dkr.ecr.<region>
 * .amazonaws.com/repo:tag`, rewritten to the endpoint, since that host is not this machine).
 * Those pulls are authorised with a short-lived login token, as a task's execution role would be.
 * `endpoint` resolves once the front door listens (tasks taken back at start-up pull before that).
 */
export function ownRegistryImages(store: ImageStore, registry: Registry, accountId: string, endpoint: () => Promise<string>): RunnerImages {
  return {
    async pull(image, options = {}) {
      const slash = image.indexOf('/');
      const host = slash < 0 ? '' : image.slice(0, slash);
      const own = new URL(await endpoint()).host;
      const ecr = ECR_HOST.exec(host);
      const region = ecr?.[2] ?? options.region ?? 'us-east-1';
      const ours = host === own || (ecr !== null && ecr[1] === accountId);
      if (!ours || options.auth) return store.pull(image, options.auth ? { auth: options.auth } : {});
      const password = registry.tokens.issue({ purpose: 'login', accountId, region, expiresAt: Date.now() + PULL_TOKEN_MS });
      return store.pull(`${own}${image.slice(slash)}`, { auth: { username: 'AWS', password } });
    },
  };
}
