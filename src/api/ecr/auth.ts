import type { GetAuthorizationTokenRequest } from '@aws-sdk/client-ecr';
import type { Registry } from '../../registry/registry.js';
import type { OperationHandler } from '../../server/service.js';
import { seconds } from './paging.js';

/** How long an authorization token is valid: 12 hours, as on ECR. */
export const AUTHORIZATION_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * GetAuthorizationToken: `authorizationToken` is base64 of `AWS:<password>`, the password a signed
 * token carrying account, region and expiry (auth/tokens.ts), which the `/v2/` Basic auth checks.
 * `proxyEndpoint` is this server's endpoint: the registry is served on the same port.
 */
export function authHandlers(registry: Registry, endpoint: () => string): Record<string, OperationHandler> {
  return {
    async GetAuthorizationToken(input: GetAuthorizationTokenRequest, { scope }) {
      const expiresAt = scope.now.getTime() + AUTHORIZATION_TOKEN_TTL_MS;
      const password = registry.tokens.issue({ purpose: 'login', accountId: scope.accountId, region: scope.region, expiresAt });
      const data = {
        authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'),
        expiresAt: seconds(expiresAt),
        proxyEndpoint: endpoint(),
      };
      // One entry per registry asked for (deprecated parameter); there is only this account's registry.
      return { authorizationData: (input.registryIds ?? [scope.accountId]).map(() => data) };
    },
  };
}
