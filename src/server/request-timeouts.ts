import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jsonErrorBody, AwsError } from './aws-error.js';

/** How long a client may stay silent while sending a request, and how long closing waits. */
export interface RequestTimeouts {
  /**
   * A request whose headers or body stop arriving for this long is answered 408 and its
   * connection closed. Default 20 s, as S3 ends a request whose socket was "not read from or
   * written to within the timeout period".
   */
  idleMs: number;
  /** How long closing waits for requests in flight before cutting every connection. Default 3 s. */
  closeGraceMs: number;
}

/** Requests whose socket still has the body idle timeout. */
const armed = new WeakSet<FastifyRequest>();

/** Clears the body idle timeout of a request, unless its response has ended (then the socket's timeout is Node's keep-alive one). */
function disarm(req: FastifyRequest, responded: boolean): void {
  if (!armed.delete(req)) return;
  if (!responded) req.raw.socket.setTimeout(0);
}

/** The defaults of the front door. */
export const DEFAULT_REQUEST_TIMEOUTS: RequestTimeouts = { idleMs: 20_000, closeGraceMs: 3_000 };

/**
 * Node's server options for the headers phase: headers must be complete within the idle
 * timeout, checked every second (Node checks every 30 s by default, which would let a stalled
 * client hold a connection for up to 50 s).
 */
export function headerTimeoutOptions(t: RequestTimeouts): { headersTimeout: number; connectionsCheckingInterval: number } {
  return { headersTimeout: t.idleMs, connectionsCheckingInterval: Math.min(1_000, t.idleMs) };
}

/**
 * Bodies are timed by silence, not by total time: registry uploads of large layers may take
 * minutes but never pause for long. While a request's body is still arriving its socket gets an
 * idle timeout (the HTTP parser refreshes it on every chunk read); once the body has been read
 * the timeout is cleared, so a handler may take as long as it needs (agents' held polls do). A
 * body that stops arriving gets a 408 RequestTimeoutException, which the AWS SDKs retry, and the
 * connection is closed.
 *
 * Closing is bounded: once Fastify starts closing (new connections refused, idle ones closed),
 * requests in flight get `closeGraceMs` to finish, then every remaining connection is cut.
 */
export function applyRequestTimeouts(app: FastifyInstance, t: RequestTimeouts): void {
  app.addHook('onRequest', async (req, reply) => {
    const raw = req.raw;
    if (raw.complete) return;
    const socket = raw.socket;
    socket.setTimeout(t.idleMs);
    armed.add(req);
    // 'end' comes once the body has been read (a listener for it does not start the stream). After
    // the response Node has set its own keep-alive timeout, which must stay.
    raw.once('end', () => disarm(req, reply.raw.writableEnded));
    // Node's server emits 'timeout' on a request still incomplete when its socket times out.
    raw.once('timeout', () => {
      reply.hijack();
      const err = new AwsError('RequestTimeoutException', `The request body did not arrive: nothing was received for ${t.idleMs / 1000} s.`, 408);
      const body = jsonErrorBody(err);
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(408, {
          'content-type': 'application/x-amz-json-1.1',
          'content-length': Buffer.byteLength(body),
          'x-amzn-RequestId': req.id,
          'x-amzn-ErrorType': err.code,
          connection: 'close',
        });
      }
      reply.raw.end(body, () => socket.destroy());
    });
  });
  // A request without a body may still have looked incomplete in onRequest; Fastify has read
  // any body it parses by now. Streamed bodies (the registry's) are disarmed by 'end'.
  app.addHook('preHandler', async (req) => {
    if (req.raw.complete) disarm(req, false);
  });

  let cut: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    cut = setTimeout(() => app.server.closeAllConnections(), t.closeGraceMs);
    cut.unref();
  });
  app.addHook('onClose', async () => clearTimeout(cut));
}
