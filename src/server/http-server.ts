import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { rootPrincipal, type Caller, type Scope } from '../lib/scope.js';
import { asQueryAuthError, AwsError, jsonErrorBody, queryErrorXml } from './aws-error.js';
import { cborErrorBody, cborServiceFor, decodeCborBody, encodeCborOutput, RPC_V2_CBOR, SMITHY_PROTOCOL_HEADER, splitRpcPath } from './cbor-protocol.js';
import { decodeContentEncoding } from './content-encoding.js';
import { decodeJsonBody, jsonContentType, jsonServiceFor, speaks, splitTarget } from './json-protocol.js';
import { decodeEc2Input, ec2ErrorXml, ec2ResponseXml } from './ec2-protocol.js';
import { decodeQueryInput, queryErrorCode, queryNamespace, queryResponseXml } from './query-protocol.js';
import type { AwsService, RequestContext } from './service.js';
import { invokeOperation } from './dispatch.js';
import { servedRegions } from './regions.js';
import { applyRequestTimeouts, DEFAULT_REQUEST_TIMEOUTS, headerTimeoutOptions, type RequestTimeouts } from './request-timeouts.js';
import { readSigV4, SignatureError, type SignedRequest, type VerifiedCaller } from './sigv4.js';

/** How the front door is set up. */
export interface FrontDoorOptions {
  /** The account every request acts in. */
  accountId: string;
  /** The account root's secret access keys by access key id (minato's configured credentials). */
  credentials: ReadonlyMap<string, string>;
  /** Every other key (IAM users', temporary credentials with their session token); none when absent. */
  lookupKey?: KeyLookup;
  /** The APIs served on this port. */
  services: readonly AwsService[];
  logger: Logger;
  /** Largest accepted request body in bytes. */
  bodyLimit: number;
  /** Region names served besides AWS's own (`minato up --extra-regions`); see regions.ts. */
  extraRegions?: readonly string[];
  /** Clock-skew window for signatures (see sigv4.ts). */
  maxSkewMs?: number;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /**
   * Other HTTP surfaces on the same port (e.g. the registry's `/v2/`), registered as encapsulated
   * Fastify plugins: they bring their own body parsing and authentication.
   */
  routes?: ReadonlyArray<(app: FastifyInstance) => Promise<void>>;
  /** How long a silent client is waited for, and how long closing waits; tests shorten them. */
  timeouts?: Partial<RequestTimeouts>;
  /**
   * Query actions answered to unsigned `GET /?Action=…` requests, as AWS answers SNS's
   * SubscribeURL and UnsubscribeURL; any other unsigned request is refused as before.
   */
  unsignedGets?: readonly UnsignedGet[];
  /**
   * Whether the root's keys are refused on a connection from this peer: tasks reach a loopback
   * front door through a relay, so their connections look local, yet the well-known default keys
   * must not work from off the host's loopback.
   */
  refusesRootKeys?: (peer: { address: string; port: number }) => boolean;
}

/** Who a key that is not the root's acts as, and its secret; or why it is refused. */
export type KeyLookup = (accessKeyId: string, sessionToken: string | undefined, now: Date) => Promise<{ secret: string; caller: Caller } | 'expired' | 'invalid'>;

/** One action an unsigned GET may call: the API, the action, and the region its parameters name. */
export interface UnsignedGet {
  readonly signingName: string;
  readonly action: string;
  region(params: URLSearchParams): string | undefined;
}

/** The default request body limit: 1 MiB, well above the largest ECS request (a task definition). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    awsRequestId: string;
    /** The API and protocol the request was recognised as speaking, once known (for its errors). */
    awsCall?: Call;
  }
}

/** What a request is, once its protocol has been recognised. */
type Call =
  | { protocol: 'json'; service: AwsService; operation: string }
  | { protocol: 'cbor'; service: AwsService; operation: string }
  | { protocol: 'query'; service?: AwsService; params: URLSearchParams };

/**
 * Builds the single HTTP front door: every AWS API on one port, SigV4-verified, with AWS's error
 * shapes. Returns the Fastify instance, not yet listening.
 */
export function buildFrontDoor(options: FrontDoorOptions): FastifyInstance {
  const now = options.now ?? (() => new Date());
  const log = options.logger;
  const regions = servedRegions(options.extraRegions);
  const largestLimit = Math.max(options.bodyLimit, ...options.services.map((s) => s.bodyLimit ?? 0));
  const timeouts = { ...DEFAULT_REQUEST_TIMEOUTS, ...options.timeouts };
  const app = Fastify({
    http: headerTimeoutOptions(timeouts),
    // Requests are not logged one by one (the hot path); failures are logged by the handlers below.
    logger: false,
    // Fastify enforces the largest limit while reading; each API's own limit is checked below.
    bodyLimit: largestLimit,
    // AWS request ids are UUIDs; Fastify's own ids stay internal.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  });

  // Signatures cover the exact bytes, so every body is kept raw; protocols decode it themselves.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  applyRequestTimeouts(app, timeouts);

  app.addHook('onRequest', async (req, reply) => {
    req.awsRequestId = req.id;
    void reply.header('x-amzn-RequestId', req.id);
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, req, tooLarge(largestLimit));
    if (err instanceof AwsError) return sendError(reply, req, err);
    if ((err.statusCode ?? 500) < 500) return sendError(reply, req, new AwsError('SerializationException', err.message));
    log.error({ err, requestId: req.awsRequestId }, 'request failed unexpectedly');
    return sendError(reply, req, new AwsError('InternalFailure', 'Server error.', 500));
  });

  app.setNotFoundHandler((req, reply) =>
    sendError(reply, req, new AwsError('UnknownOperationException', `No API is served at ${req.method} ${req.url}.`, 404)),
  );

  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    // AWS authenticates before it looks at the operation: an unsigned call to a bogus target is
    // still a missing-token error.
    const caller: Authenticated = unsignedCaller(req, options.unsignedGets ?? [], regions) ?? (await authenticate(req, options, regions, now()));
    // The signature covers the body as sent; a gzipped one is read inflated (content-encoding.ts).
    const body = decodeContentEncoding(req.headers['content-encoding'], req.body as Buffer | undefined, largestLimit);
    const call = recognise(req, options.services, body);
    const scope: Scope = {
      accountId: options.accountId,
      region: caller.region,
      // An assumed role acts as its role (as IAM names the principal of a session, aws:PrincipalArn).
      principalArn: caller.caller?.roleArn ?? caller.caller?.arn ?? rootPrincipal(options.accountId),
      now: now(),
      ...(caller.caller && { caller: caller.caller }),
    };
    const ctx: RequestContext = {
      scope,
      requestId: req.awsRequestId,
      sourceIp: req.ip.startsWith('::ffff:') ? req.ip.slice('::ffff:'.length) : req.ip,
      secureTransport: req.protocol === 'https',
    };
    const limit = (call.protocol === 'query' ? undefined : call.service.bodyLimit) ?? options.bodyLimit;
    if (((req.body as Buffer | undefined)?.length ?? 0) > limit) throw tooLarge(limit);
    if (call.protocol !== 'query') {
      if (caller.service !== call.service.signingName) {
        throw new AwsError('InvalidSignatureException', `Credential should be scoped to correct service: '${call.service.signingName}'. `);
      }
      const input = call.protocol === 'json' ? decodeJsonBody(body) : decodeCborBody(body);
      const output = await invokeOperation(call.service, call.operation, input, ctx, log);
      if (call.protocol === 'json') {
        return reply.header('content-type', jsonContentType(call.service)).send(JSON.stringify(output ?? {}));
      }
      void reply.header(SMITHY_PROTOCOL_HEADER, RPC_V2_CBOR);
      const encoded = encodeCborOutput(call.service.model, call.operation, output);
      return encoded ? reply.header('content-type', 'application/cbor').send(Buffer.from(encoded)) : reply.send();
    }
    // EC2's protocol is Query's form encoding with its own list names and documents (ec2-protocol.ts).
    const service = options.services.find((s) => s.signingName === caller.service && (speaks(s, 'query') || speaks(s, 'ec2')));
    req.awsCall = { ...call, ...(service && { service }) };
    const action = call.params.get('Action') ?? '';
    if (!service) throw new AwsError('InvalidAction', `The action ${action} is not valid for this endpoint.`);
    // Query services call an operation they do not know an invalid action.
    if (!Object.hasOwn(service.model.operations, action)) {
      throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${call.params.get('Version') ?? ''}`);
    }
    if (speaks(service, 'ec2')) {
      const output = await invokeOperation(service, action, decodeEc2Input(service.model, action, call.params), ctx, log);
      return reply.header('content-type', 'text/xml;charset=UTF-8').send(ec2ResponseXml(service, action, output, req.awsRequestId));
    }
    const output = await invokeOperation(service, action, decodeQueryInput(service.model, action, call.params), ctx, log);
    return reply
      .header('content-type', 'text/xml')
      .send(queryResponseXml(service, action, output, req.awsRequestId));
  };

  app.post('/', handle);
  app.get('/', handle);
  app.post('/service/:service/operation/:operation', handle);
  for (const plugin of options.routes ?? []) void app.register(plugin);
  return app;
}

/** The caller of an unsigned GET to one of the actions that take it, or undefined. */
function unsignedCaller(req: FastifyRequest, gets: readonly UnsignedGet[], regions: ReadonlySet<string>): VerifiedCaller | undefined {
  if (gets.length === 0 || req.method !== 'GET' || req.headers.authorization !== undefined) return undefined;
  const url = req.raw.url ?? '/';
  const q = url.indexOf('?');
  if (q < 0 || url.slice(0, q) !== '/') return undefined;
  const params = new URLSearchParams(url.slice(q + 1));
  if (params.has('X-Amz-Signature') || params.has('X-Amz-Credential')) return undefined;
  const get = gets.find((g) => g.action === params.get('Action'));
  const region = get?.region(params);
  if (!get || region === undefined || !regions.has(region)) return undefined;
  return { accessKeyId: '', region, service: get.signingName, signedAt: new Date(0) };
}

function tooLarge(limit: number): AwsError {
  return new AwsError('RequestEntityTooLargeException', `Request body must not exceed ${limit} bytes.`, 413);
}

/** Tells the protocol and operation of a request from its target header or Action parameter. */
function recognise(req: FastifyRequest, services: readonly AwsService[], body: Buffer | undefined): Call {
  const call = recogniseCall(req, services, body);
  req.awsCall = call;
  return call;
}

function recogniseCall(req: FastifyRequest, services: readonly AwsService[], body: Buffer | undefined): Call {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const { prefix, operation } = splitTarget(target);
    const service = jsonServiceFor(services, prefix);
    if (!service) throw new AwsError('UnknownOperationException', `Unknown target ${target}.`);
    return { protocol: 'json', service, operation };
  }
  const rpc = splitRpcPath(req.url.split('?')[0]!);
  if (rpc) {
    const service = cborServiceFor(services, rpc.serviceName);
    if (!service) throw new AwsError('UnknownOperationException', `No API is served as ${rpc.serviceName}.`, 404);
    return { protocol: 'cbor', service, operation: rpc.operation };
  }
  const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  const params = new URLSearchParams(query);
  const contentType = String(req.headers['content-type'] ?? '');
  if (req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body?.toString('utf8') ?? '')) params.append(k, v);
  }
  if (params.has('Action')) return { protocol: 'query', params };
  throw new AwsError('UnknownOperationException', 'The request names no operation (no X-Amz-Target header or Action parameter).');
}

/** A verified request and the identity behind its key (absent for unsigned calls). */
type Authenticated = VerifiedCaller & { caller?: Caller };

/** Verifies the signature and returns the caller, or throws the AWS error for the failure. */
async function authenticate(req: FastifyRequest, options: FrontDoorOptions, regions: ReadonlySet<string>, now: Date): Promise<Authenticated> {
  // API calls carry small bodies that must be covered by the signature; only streamed uploads
  // (the registry, elsewhere) may leave the payload unsigned.
  if (req.headers['x-amz-content-sha256'] === 'UNSIGNED-PAYLOAD') {
    throw new AwsError('InvalidSignatureException', 'The request payload must be signed: UNSIGNED-PAYLOAD is not accepted here.');
  }
  const url = req.raw.url ?? '/';
  const q = url.indexOf('?');
  try {
    const signed = readSigV4(
      {
        method: req.method,
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? '' : url.slice(q + 1),
        headers: req.headers,
        body: (req.body as Buffer | undefined) ?? Buffer.alloc(0),
      },
      now,
      {
        isServedRegion: (region) => regions.has(region),
        ...(options.maxSkewMs !== undefined && { maxSkewMs: options.maxSkewMs }),
      },
    );
    const peer = { address: req.socket.remoteAddress ?? '', port: req.socket.remotePort ?? 0 };
    const { secret, caller } = await identify(signed, options, now, options.refusesRootKeys?.(peer) ?? false);
    return { ...signed.verify(secret), ...(caller && { caller }) };
  } catch (err) {
    if (err instanceof SignatureError) throw new AwsError(err.code, err.message, err.status);
    throw err;
  }
}

/** The secret and identity of the request's key: the root's configured keys, else the lookup's. */
async function identify(signed: SignedRequest, options: FrontDoorOptions, now: Date, rootRefused: boolean): Promise<{ secret?: string; caller?: Caller }> {
  const { accessKeyId, sessionToken } = signed;
  // A refused root key is an unknown key, as AWS answers a key it does not have.
  if (rootRefused && options.credentials.has(accessKeyId) && sessionToken === undefined) return {};
  const root = options.credentials.get(accessKeyId);
  if (root !== undefined && sessionToken === undefined) {
    return { secret: root, caller: { kind: 'root', arn: rootPrincipal(options.accountId), userId: options.accountId, accessKeyId } };
  }
  const found = options.lookupKey ? await options.lookupKey(accessKeyId, sessionToken, now) : 'invalid';
  if (found === 'expired') throw new SignatureError('ExpiredTokenException', 'The security token included in the request is expired', 400);
  return found === 'invalid' ? {} : found;
}

/** Writes an AWS error in the protocol the request spoke. */
function sendError(reply: FastifyReply, req: FastifyRequest, failure: AwsError): FastifyReply {
  const call = req.awsCall;
  const queryAnswer =
    call?.protocol === 'query' || (call === undefined && typeof req.headers['x-amz-target'] !== 'string' && !isCborRequest(req) && isQueryRequest(req));
  const err = queryAnswer ? asQueryAuthError(failure) : failure;
  void reply.status(err.status).header('x-amzn-ErrorType', err.code);
  const service = call?.service;
  if (call?.protocol !== 'query' && service?.model.metadata.awsQueryCompatible) {
    // Services that left the Query protocol keep its error codes for the SDKs that map them.
    void reply.header('x-amzn-query-error', `${queryErrorCode(service.model, err.code)};${err.fault}`);
  }
  if (call?.protocol === 'cbor' || (!call && isCborRequest(req))) {
    return reply.header(SMITHY_PROTOCOL_HEADER, RPC_V2_CBOR).header('content-type', 'application/cbor').send(Buffer.from(cborErrorBody(err)));
  }
  if (call?.protocol === 'json' || typeof req.headers['x-amz-target'] === 'string' || !isQueryRequest(req)) {
    return reply.header('content-type', jsonContentType(service)).send(jsonErrorBody(err));
  }
  if (!service) return reply.header('content-type', 'text/xml').send(queryErrorXml(err, req.awsRequestId));
  if (speaks(service, 'ec2')) return reply.header('content-type', 'text/xml;charset=UTF-8').send(ec2ErrorXml(err, req.awsRequestId));
  const xml = queryErrorXml(err, req.awsRequestId, queryNamespace(service), queryErrorCode(service.model, err.code));
  return reply.header('content-type', 'text/xml').send(xml);
}

function isQueryRequest(req: FastifyRequest): boolean {
  return req.url.includes('Action=') || String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function isCborRequest(req: FastifyRequest): boolean {
  return req.headers[SMITHY_PROTOCOL_HEADER] === RPC_V2_CBOR || splitRpcPath(req.url.split('?')[0]!) !== undefined;
}
