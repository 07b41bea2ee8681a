import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorKind } from '../../lib/errors.js';
import { rootPrincipal, type Scope } from '../../lib/scope.js';
import type { RegistryAuth, RegistryCaller } from '../auth/registry-auth.js';
import { registryError, unsupported } from '../errors.js';
import { checkRepositoryName } from '../names.js';
import type { Registry } from '../registry.js';
import { deleteBlob, getBlob } from './blob-handlers.js';
import type { V2Call } from './context.js';
import { listReferrers, listTags } from './listing-handlers.js';
import { deleteManifest, getManifest, putManifest } from './manifest-handlers.js';
import { OciCode, toOciError, unauthenticated } from './oci-errors.js';
import { parseV2Path, type V2Route } from './paths.js';
import { issueToken, tokenEndpointChallenge, TOKEN_PATH, v2Challenge } from './token-endpoint.js';
import { cancelUpload, finishUpload, patchUpload, startUpload, uploadStatus } from './upload-handlers.js';

/** The query parameter of presigned blob URLs (GetDownloadUrlForLayer). */
export const DOWNLOAD_TOKEN_PARAM = 'minato-download';

/** Where unexpected failures are reported. */
export interface RegistryRoutesLogger {
  error(obj: object, msg: string): void;
}

const METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'] as const;

/**
 * The OCI distribution API (`/v2/`) as an encapsulated Fastify plugin for the front door. Request
 * bodies are never parsed or buffered by Fastify: handlers read the raw request stream (blob
 * uploads go straight to disk). Every request must authenticate (HTTP Basic, or a Bearer token from
 * the token endpoint at {@link TOKEN_PATH}, see auth/registry-auth.ts); failures are OCI error
 * bodies with the statuses of `oci-errors.ts`.
 */
export function registryRoutes(registry: Registry, auth: RegistryAuth, logger?: RegistryRoutesLogger): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    app.removeAllContentTypeParsers();
    // Hand the body over unread: the handlers stream it themselves.
    app.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));

    app.setErrorHandler((err, req, reply) => sendError(err, req, reply, logger));

    const handler = (req: FastifyRequest, reply: FastifyReply) => handle(registry, auth, req, reply);
    for (const url of ['/v2', '/v2/*']) {
      app.route({ method: [...METHODS], url, handler, exposeHeadRoute: false });
    }
    app.route({ method: ['GET', 'POST'], url: TOKEN_PATH, handler: (req, reply) => issueToken(registry, auth, req, reply) });
  };
}

async function handle(registry: Registry, auth: RegistryAuth, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  void reply.header('Docker-Distribution-API-Version', 'registry/2.0');
  const url = req.raw.url ?? '/';
  const q = url.indexOf('?');
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const route = parseV2Path(q < 0 ? url : url.slice(0, q));
  const caller = authenticate(registry, auth, req, route, query);
  const now = registry.clock();
  const scope: Scope = { accountId: caller.accountId, region: caller.region, principalArn: rootPrincipal(caller.accountId), now: new Date(now) };
  const call: V2Call = { registry, scope, req, reply, query };
  if (!route) throw registryError(ErrorKind.NotFound, 'route', `no such endpoint: ${req.method} ${url.split('?')[0]}`);
  if (route.kind === 'base') {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req);
    return void (await reply.header('Content-Type', 'application/json').send('{}'));
  }
  checkRepositoryName(route.name);
  await dispatch(call, route);
}

async function dispatch(call: V2Call, route: Exclude<V2Route, { kind: 'base' }>): Promise<void> {
  const method = call.req.method;
  switch (route.kind) {
    case 'manifest':
      if (method === 'GET' || method === 'HEAD') return getManifest(call, route.name, route.reference);
      if (method === 'PUT') return putManifest(call, route.name, route.reference);
      if (method === 'DELETE') return deleteManifest(call, route.name, route.reference);
      break;
    case 'blob':
      if (method === 'GET' || method === 'HEAD') return getBlob(call, route.name, route.digest);
      if (method === 'DELETE') return deleteBlob(call, route.name, route.digest);
      break;
    case 'upload':
      if (route.id === undefined) {
        if (method === 'POST') return startUpload(call, route.name);
        break;
      }
      if (method === 'PATCH') return patchUpload(call, route.name, route.id);
      if (method === 'PUT') return finishUpload(call, route.name, route.id);
      if (method === 'GET') return uploadStatus(call, route.name, route.id);
      if (method === 'DELETE') return cancelUpload(call, route.name, route.id);
      break;
    case 'tags':
      if (method === 'GET') return listTags(call, route.name);
      break;
    case 'referrers':
      if (method === 'GET') return listReferrers(call, route.name, route.digest);
      break;
  }
  throw methodNotAllowed(call.req);
}

/** The caller, from Basic credentials or (for a blob GET) a presigned download token; else 401. */
function authenticate(registry: Registry, auth: RegistryAuth, req: FastifyRequest, route: V2Route | undefined, query: URLSearchParams): RegistryCaller {
  const now = registry.clock();
  const download = query.get(DOWNLOAD_TOKEN_PARAM);
  if (download !== null && route?.kind === 'blob' && (req.method === 'GET' || req.method === 'HEAD')) {
    const caller = auth.authenticateDownload(download, route.name, route.digest, now);
    if (caller) return caller;
  }
  const caller = auth.authenticate(req.headers.authorization, now);
  if (!caller) throw unauthenticated();
  return caller;
}

const methodNotAllowed = (req: FastifyRequest) => unsupported(`${req.method} is not supported on ${req.url.split('?')[0]}`);

function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply, logger: RegistryRoutesLogger | undefined): FastifyReply {
  const failure = toOciError(err);
  // A client that went away mid-request is not a server fault.
  if (!failure.expected && !req.raw.destroyed) logger?.error({ err, method: req.method, url: req.url }, 'registry request failed unexpectedly');
  void reply.code(failure.status).header('Docker-Distribution-API-Version', 'registry/2.0');
  if (failure.code === OciCode.Unauthorized) {
    void reply.header('WWW-Authenticate', req.url.startsWith(TOKEN_PATH) ? tokenEndpointChallenge(req) : v2Challenge(req));
  }
  if (failure.status === 416) {
    const details = (err as { details?: { size?: number; expectedStart?: number } }).details;
    // A blob download: the blob's size; an upload chunk: where the upload stands.
    if (details?.size !== undefined) void reply.header('Content-Range', `bytes */${details.size}`);
    if (details?.expectedStart !== undefined) void reply.header('Range', `0-${Math.max(0, details.expectedStart - 1)}`);
  }
  // A body the handler did not read would be drained before the next request on this connection;
  // closing is cheaper than reading a refused upload to its end.
  if (!req.raw.complete) void reply.header('Connection', 'close');
  if (req.method === 'HEAD') return reply.header('Content-Length', '0').send();
  return reply.header('Content-Type', 'application/json').send(failure.body);
}
