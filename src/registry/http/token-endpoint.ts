import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RegistryAuth, RegistryCaller } from '../auth/registry-auth.js';
import { parseBasic } from '../auth/registry-auth.js';
import { uploadInvalid } from '../errors.js';
import type { Registry } from '../registry.js';
import { unauthenticated } from './oci-errors.js';
import { readLimited } from './request-io.js';

/** Where the token endpoint is served (the `realm` of the `/v2/` challenge). */
export const TOKEN_PATH = '/registry/token';

/** The `service` the challenge names (ECR's). */
const SERVICE = 'ecr.amazonaws.com';

/** Form bodies of the OAuth2 flavour are tiny; anything larger is not a token request. */
const MAX_FORM_BYTES = 16 * 1024;

/** The base URL this request reached the server under. */
const baseUrlOf = (req: FastifyRequest): string => `${req.protocol}://${req.headers.host ?? 'localhost'}`;

/**
 * The challenge of a `/v2/` request without valid credentials: Bearer, pointing at the token
 * endpoint. ECR itself challenges with Basic, and every client then sends Basic credentials; but
 * a registry acting as a client (CNCF Distribution's proxy mode) keeps its configured credentials
 * only for Bearer realms, so Basic would leave it unable to log in. Clients that send Basic
 * credentials up front (as after `docker login`) never see the challenge: Basic is still accepted.
 */
export function v2Challenge(req: FastifyRequest): string {
  return `Bearer realm="${baseUrlOf(req)}${TOKEN_PATH}",service="${SERVICE}"`;
}

/** The challenge of the token endpoint itself: it takes Basic credentials. */
export function tokenEndpointChallenge(req: FastifyRequest): string {
  return `Basic realm="${baseUrlOf(req)}${TOKEN_PATH}",service="${SERVICE}"`;
}

/**
 * Docker's token endpoint: `GET` with Basic credentials (the same ones `/v2/` takes), or `POST` of
 * an OAuth2 password grant form, answers a Bearer token for `/v2/`. The `scope` asked for is not
 * narrowed: like an ECR password, the token grants the account's repositories in one region.
 */
export async function issueToken(registry: Registry, auth: RegistryAuth, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const now = registry.clock();
  let caller: RegistryCaller | undefined;
  if (req.method === 'POST') {
    const form = new URLSearchParams((await readLimited(req.raw, MAX_FORM_BYTES, () => uploadInvalid('token request form too large'))).toString('utf8'));
    if (form.get('grant_type') !== 'password') {
      // OAuth2's answer; clients fall back to the GET flow.
      return void (await reply.code(400).header('Content-Type', 'application/json').send(JSON.stringify({ error: 'unsupported_grant_type' })));
    }
    caller = auth.authenticateCredentials(form.get('username') ?? '', form.get('password') ?? '', now);
  } else {
    const basic = parseBasic(req.headers.authorization);
    caller = basic && auth.authenticateCredentials(basic.user, basic.password, now);
  }
  if (!caller) throw unauthenticated();
  const issued = auth.issueBearer(caller, now);
  const body = {
    token: issued.token,
    access_token: issued.token,
    expires_in: Math.floor((issued.expiresAt - now) / 1000),
    issued_at: new Date(now).toISOString(),
  };
  await reply.header('Content-Type', 'application/json').header('Cache-Control', 'no-store').send(JSON.stringify(body));
}
