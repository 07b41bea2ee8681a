/**
 * A small loopback HTTP proxy in front of a real registry, for the pull tests that need a
 * registry to misbehave or to demand credentials: it records every request, can corrupt chosen
 * responses, and can require Basic auth or Bearer tokens (issuing them itself at `/token`).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** How the proxy authenticates clients. */
export type ProxyAuth =
  | { scheme: 'basic'; username: string; password: string }
  | { scheme: 'bearer'; username?: string; password?: string };

/** Options of {@link startRegistryProxy}. */
export interface RegistryProxyOptions {
  /** The registry's base URL (`http://127.0.0.1:<port>`). */
  upstream: string;
  auth?: ProxyAuth;
  /** Rewrites the body of responses to matching requests (e.g. flips a byte of one blob). */
  rewrite?: (path: string, body: Buffer) => Buffer | undefined;
}

/** A running proxy. */
export interface RegistryProxy {
  /** `127.0.0.1:<port>`, the registry part of image references through the proxy. */
  host: string;
  /** `METHOD path` of every request received, token requests included. */
  requests: string[];
  /** The token requests' Authorization headers, in order. */
  tokenAuthorizations: Array<string | undefined>;
  close(): Promise<void>;
}

const TOKEN = 'test-token-0123456789';

function basicMatches(header: string | undefined, username?: string, password?: string): boolean {
  return header === `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Starts a proxy on a free port of 127.0.0.1. */
export async function startRegistryProxy(options: RegistryProxyOptions): Promise<RegistryProxy> {
  const requests: string[] = [];
  const tokenAuthorizations: Array<string | undefined> = [];
  let host = '';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    const auth = options.auth;
    const url = new URL(req.url!, `http://${host}`);
    if (url.pathname === '/token' && auth?.scheme === 'bearer') {
      tokenAuthorizations.push(req.headers.authorization);
      const anonymousAllowed = auth.username === undefined;
      if (!anonymousAllowed && !basicMatches(req.headers.authorization, auth.username, auth.password)) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"invalid credentials"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: TOKEN, expires_in: 300 }));
      return;
    }
    if (auth?.scheme === 'basic' && !basicMatches(req.headers.authorization, auth.username, auth.password)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="test-registry"', 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    if (auth?.scheme === 'bearer' && req.headers.authorization !== `Bearer ${TOKEN}`) {
      const repository = /^\/v2\/(.+)\/(manifests|blobs)\//.exec(url.pathname)?.[1] ?? '';
      const challenge = `Bearer realm="http://${host}/token",service="test-registry",scope="repository:${repository}:pull"`;
      res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    const upstream = await fetch(`${options.upstream}${req.url}`, {
      method: req.method,
      headers: { accept: req.headers.accept ?? '*/*' },
      redirect: 'manual',
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    const rewritten = options.rewrite?.(url.pathname, body) ?? body;
    const headers: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) headers[name] = value;
    });
    // HEAD answers keep the upstream's length; bodies carry their own.
    headers['content-length'] = req.method === 'HEAD' ? (upstream.headers.get('content-length') ?? '0') : String(rewritten.length);
    res.writeHead(upstream.status, headers);
    res.end(req.method === 'HEAD' ? undefined : rewritten);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(err));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    host,
    requests,
    tokenAuthorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
