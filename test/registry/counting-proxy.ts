/**
 * A loopback HTTP proxy in front of an upstream registry for pull through cache tests: it records
 * every request, and can stand in for an upstream in trouble (503s, throttling, dropped connections).
 */
import { createServer, request, type Server } from 'node:http';
import { once } from 'node:events';

/** How the proxy answers. */
export type ProxyMode = 'forward' | 'fail' | 'throttle' | 'drop';

/** A running proxy. */
export interface CountingProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Every request since the last {@link CountingProxy.clear}: method and path (with query). */
  requests: Array<{ method: string; path: string }>;
  mode: ProxyMode;
  /** How many recorded requests have this method and a path matching `path`. */
  count(method: string, path: RegExp): number;
  clear(): void;
  close(): Promise<void>;
}

/** Starts a proxy to `target` (`http://host:port`) on a free loopback port. */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const proxy: CountingProxy = {
    url: '',
    requests: [],
    mode: 'forward',
    count: (method, path) => proxy.requests.filter((r) => r.method === method && path.test(r.path)).length,
    clear: () => void (proxy.requests.length = 0),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  const server: Server = createServer((req, res) => {
    proxy.requests.push({ method: req.method ?? '', path: req.url ?? '' });
    if (proxy.mode === 'drop') return void req.socket.destroy();
    if (proxy.mode === 'fail' || proxy.mode === 'throttle') {
      const status = proxy.mode === 'fail' ? 503 : 429;
      res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
      return void res.end(JSON.stringify({ errors: [{ code: proxy.mode === 'fail' ? 'UNAVAILABLE' : 'TOOMANYREQUESTS', message: 'not now' }] }));
    }
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  proxy.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return proxy;
}
