// HTTPS with SNI and HTTP/2 (ALPN), WebSocket upgrades, and a network load balancer's TCP listener.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { connect as http2Connect } from 'node:http2';
import { connect as netConnect, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alb, allHealthy, forward, group, openPlane, rule, startTarget, stopTargets, type TestTarget } from './lb.fixtures.js';
import type { HaproxyDataPlane } from '../../src/lb-proxy/haproxy-data-plane.js';

const albAddress = '127.78.4.1';
const nlbAddress = '127.78.4.2';
let plane: HaproxyDataPlane;
let cleanup: () => Promise<void>;
let web: TestTarget;
let echo: TcpServer;
let echoPort: number;
const sockets: Socket[] = [];

/** A self-signed certificate for `name`, made with the openssl CLI. */
function selfSigned(name: string): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'minato-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`,
      '-addext', `subjectAltName=DNS:${name}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const shop = selfSigned('shop.example.test');
const blog = selfSigned('blog.example.test');

beforeAll(async () => {
  web = await startTarget('web', '127.78.4.10');
  // WebSocket: the target answers the upgrade and then echoes.
  web.server.on('upgrade', (req, socket: Socket) => {
    sockets.push(socket);
    const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.on('data', (d: Buffer) => socket.write(d));
  });
  echo = createTcpServer((s) => sockets.push(s) && s.on('data', (d) => s.write(`echo:${String(d)}`)));
  await new Promise<void>((r) => echo.listen(0, '127.78.4.20', r));
  echoPort = (echo.address() as { port: number }).port;
  ({ plane, cleanup } = await openPlane());
  const https = alb('tls', albAddress, 8443, [rule('default', forward('arn:tg/web'))]);
  https.listeners[0]!.protocol = 'HTTPS';
  https.listeners[0]!.certificates = [
    { arn: 'arn:cert/shop', certificatePem: shop.cert, privateKeyPem: shop.key },
    { arn: 'arn:cert/blog', certificatePem: blog.cert, privateKeyPem: blog.key },
  ];
  https.listeners.push({ arn: 'arn:listener/tls/80', port: 8080, protocol: 'HTTP', certificates: [], rules: [rule('default', forward('arn:tg/web'))] });
  const nlb = { ...alb('net', nlbAddress, 9000, [rule('default', forward('arn:tg/tcp'))]), type: 'network' as const };
  nlb.listeners[0]!.protocol = 'TCP';
  const tcpGroup = group('arn:tg/tcp', []);
  tcpGroup.protocol = 'TCP';
  tcpGroup.healthCheck = { ...tcpGroup.healthCheck, protocol: 'TCP', path: undefined, matcher: undefined };
  tcpGroup.targets = [{ id: '127.78.4.20', address: '127.78.4.20', port: echoPort, draining: false }];
  await plane.apply({ loadBalancers: [https, nlb], targetGroups: [group('arn:tg/web', [web]), tcpGroup] });
  await allHealthy(plane, 'arn:tg/web', 1);
  await allHealthy(plane, 'arn:tg/tcp', 1);
}, 30_000);

afterAll(async () => {
  await cleanup?.();
  for (const s of sockets) s.destroy();
  await stopTargets(web ? [web] : []);
  await new Promise((r) => echo?.close(r));
});

describe('protocols', () => {
  it('serves HTTP/2 over TLS and picks the certificate by SNI', async () => {
    for (const [name, cert] of [['shop.example.test', shop.cert], ['blog.example.test', blog.cert]] as const) {
      const session = http2Connect(`https://${albAddress}:8443`, { servername: name, ca: cert, checkServerIdentity: () => undefined });
      const { status, body, proto, forwarded } = await new Promise<{ status: number; body: string; proto: string; forwarded: string }>((resolve, reject) => {
        session.on('error', reject);
        const stream = session.request({ ':path': '/', ':authority': name });
        let body = '';
        let status = 0;
        stream.on('response', (h) => (status = Number(h[':status'])));
        stream.setEncoding('utf8');
        stream.on('data', (c: string) => (body += c));
        stream.on('end', () => resolve({ status, body, proto: session.alpnProtocol ?? '', forwarded: String(web.lastHeaders['x-forwarded-proto']) }));
        stream.on('error', reject);
      });
      session.close();
      expect({ status, body, proto, forwarded }).toEqual({ status: 200, body: 'web', proto: 'h2', forwarded: 'https' });
    }
  });

  it('passes a WebSocket upgrade through and relays both ways', async () => {
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = request({ host: albAddress, port: 8080, path: '/ws', headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
      } });
      req.on('upgrade', (res, socket) => {
        expect(res.statusCode).toBe(101);
        socket.on('data', (d: Buffer) => {
          resolve(String(d));
          socket.destroy();
        });
        socket.write('ping');
      });
      req.on('error', reject);
      req.end();
    });
    expect(echoed).toBe('ping');
  });

  it('forwards TCP on a network load balancer', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const s = netConnect({ host: nlbAddress, port: 9000 }, () => s.write('hello'));
      s.on('data', (d) => {
        resolve(String(d));
        s.destroy();
      });
      s.on('error', reject);
    });
    expect(answer).toBe('echo:hello');
  });
});
