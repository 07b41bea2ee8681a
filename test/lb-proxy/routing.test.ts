// Routing through a real HAProxy to real Node targets: round robin, path and host rules,
// weighted forwards, fixed responses, redirects, forwarded headers and the ALB's own 502 and 503.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alb, allHealthy, forward, get, group, openPlane, rule, startTarget, stopTargets, until, type TestTarget } from './lb.fixtures.js';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HaproxyDataPlane } from '../../src/lb-proxy/haproxy-data-plane.js';
import type { ProxyConfig } from '../../src/lb-proxy/proxy-config.js';

const lbAddress = '127.78.1.1';
let plane: HaproxyDataPlane;
let cleanup: () => Promise<void>;
let web: TestTarget[];
let api: TestTarget;
let canary: TestTarget;
let dataDir: string;
let hostsFile: string;
let current: ProxyConfig;
const workerPids = async (): Promise<string> => (await readFile(`/proc/${plane.masterPid}/task/${plane.masterPid}/children`, 'utf8')).trim();

beforeAll(async () => {
  web = await Promise.all(['web-a', 'web-b', 'web-c'].map((n, i) => startTarget(n, `127.78.1.${10 + i}`)));
  api = await startTarget('api', '127.78.1.20');
  canary = await startTarget('canary', '127.78.1.21');
  // A target whose server is gone: its port refuses connections.
  const gone = await startTarget('gone', '127.78.1.22');
  await stopTargets([gone]);
  ({ plane, cleanup, dataDir, hostsFile } = await openPlane());
  current = {
    loadBalancers: [
      alb('routing', lbAddress, 8080, [
        rule(1, forward('arn:tg/api'), [{ field: 'path-pattern', values: ['/api/*'] }]),
        rule(2, forward('arn:tg/api'), [{ field: 'host-header', values: ['API.example.*'] }]),
        rule(3, { type: 'fixed-response', statusCode: '418', contentType: 'text/plain', messageBody: 'short and stout' }, [
          { field: 'path-pattern', values: ['/teapot'] },
        ]),
        rule(4, { type: 'redirect', protocol: 'HTTPS', port: '443', host: '#{host}', path: '/new/#{path}', query: '#{query}', statusCode: 'HTTP_301' }, [
          { field: 'path-pattern', values: ['/old*'] },
        ]),
        rule(5, { type: 'forward', targetGroups: [{ arn: 'arn:tg/web', weight: 80 }, { arn: 'arn:tg/canary', weight: 20 }] }, [
          { field: 'http-header', headerName: 'X-Weighted', values: ['yes'] },
        ]),
        rule(6, forward('arn:tg/empty'), [{ field: 'path-pattern', values: ['/empty'] }]),
        rule(7, forward('arn:tg/sticky'), [{ field: 'path-pattern', values: ['/sticky'] }]),
        rule(8, forward('arn:tg/gone'), [{ field: 'path-pattern', values: ['/gone'] }]),
        rule('default', forward('arn:tg/web')),
      ]),
      // A second load balancer on the same port, on its own address.
      alb('second', '127.78.1.2', 8080, [rule('default', { type: 'fixed-response', statusCode: '200', messageBody: 'second' })]),
    ],
    targetGroups: [group('arn:tg/web', web), group('arn:tg/api', [api]), group('arn:tg/canary', [canary]), group('arn:tg/empty', []),
      group('arn:tg/sticky', web, { stickiness: { enabled: true, type: 'lb_cookie', durationSeconds: 600 } }), group('arn:tg/gone', [gone])],
  };
  await plane.apply(current);
  await allHealthy(plane, 'arn:tg/web', 3);
  await allHealthy(plane, 'arn:tg/api', 1);
  await allHealthy(plane, 'arn:tg/canary', 1);
  await allHealthy(plane, 'arn:tg/sticky', 3);
  // Every target unhealthy: the group fails open, so requests go to the refusing target.
  await until(() => plane.targetHealth('arn:tg/gone')[0]?.state === 'unhealthy', 10_000, 'the gone target unhealthy');
  await plane.idle();
}, 30_000);

afterAll(async () => {
  await cleanup?.();
  await stopTargets([...(web ?? []), api, canary].filter(Boolean));
});

const url = (path: string): string => `http://${lbAddress}:8080${path}`;

describe('routing', () => {
  it('spreads requests round robin over three targets', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 9; i++) seen.push((await get(url('/x'))).body);
    for (const t of web) expect(seen.filter((s) => s === t.name)).toHaveLength(3);
  });

  it('routes by path pattern and by host header (case-insensitive, port ignored)', async () => {
    expect((await get(url('/api/users'))).body).toBe('api');
    expect((await get(url('/apiary'))).body).toMatch(/^web-/);
    expect((await get(url('/'), { host: 'api.EXAMPLE.com:8080' })).body).toBe('api');
    expect((await get(url('/'), { host: 'www.example.com' })).body).toMatch(/^web-/);
  });

  it('answers fixed responses and redirects with the request parts', async () => {
    const teapot = await get(url('/teapot'));
    expect(teapot.status).toBe(418);
    expect(teapot.body).toBe('short and stout');
    expect(teapot.headers['content-type']).toBe('text/plain');
    const moved = await get(url('/old/page?a=1'), { host: 'shop.example.com' });
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('https://shop.example.com/new/old/page?a=1');
    const bare = await get(url('/old'), { host: 'shop.example.com' });
    expect(bare.headers.location).toBe('https://shop.example.com/new/old');
  });

  it('splits a weighted forward about 80/20', async () => {
    let toCanary = 0;
    const n = 500;
    for (let i = 0; i < n; i++) if ((await get(url('/w'), { 'x-weighted': 'yes' })).body === 'canary') toCanary += 1;
    expect(toCanary / n).toBeGreaterThan(0.12);
    expect(toCanary / n).toBeLessThan(0.28);
  });

  it('adds X-Forwarded-For, -Proto and -Port', async () => {
    await get(url('/headers'), { 'x-forwarded-for': '203.0.113.9' });
    const h = web.map((t) => t.lastHeaders).find((x) => String(x['x-forwarded-for']).startsWith('203.0.113.9'))!;
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-forwarded-port']).toBe('8080');
    expect(String(h['x-forwarded-for'])).toMatch(/^203\.0\.113\.9, 127\.0\.0\.1$/);
  });

  it('serves two load balancers on one port, each on its address', async () => {
    expect((await get('http://127.78.1.2:8080/')).body).toBe('second');
    expect((await get(url('/'))).body).toMatch(/^web-/);
  });

  it('answers its own 503 for a group without targets', async () => {
    const res = await get(url('/empty'));
    expect(res.status).toBe(503);
    expect(res.headers.server).toBe('awselb/2.0');
    expect(res.body).toContain('<center><h1>503 Service Temporarily Unavailable</h1></center>');
  });

  it('answers its own 502 when the target refuses the connection', async () => {
    const res = await get(url('/gone'));
    expect(res.status).toBe(502);
    expect(res.headers.server).toBe('awselb/2.0');
    expect(res.body).toContain('<center><h1>502 Bad Gateway</h1></center>');
  });

  it('keeps a client with its target through the AWSALB cookie', async () => {
    const first = await get(url('/sticky'));
    const cookie = String(first.headers['set-cookie']?.[0] ?? '');
    expect(cookie).toMatch(/^AWSALB=[0-9a-f]{12}; path=\/; Max-Age=600$/);
    for (let i = 0; i < 6; i++) expect((await get(url('/sticky'), { cookie: cookie.split(';')[0]! })).body).toBe(first.body);
    const spread = new Set<string>();
    for (let i = 0; i < 6; i++) spread.add((await get(url('/sticky'))).body);
    expect(spread.size).toBe(3);
  });

  it('keeps its files private: directory 0700, files 0600', async () => {
    expect((await stat(join(dataDir, 'lb'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dataDir, 'lb', 'haproxy.cfg'))).mode & 0o777).toBe(0o600);
  });

  it('makes the DNS name resolve to the address through its hosts block', async () => {
    const hosts = await readFile(hostsFile, 'utf8');
    expect(hosts).toMatch(/^# BEGIN minato load balancers \w+\n127\.78\.1\.1 routing-1\.us-east-1\.elb\.localhost\n127\.78\.1\.2 second-1\.us-east-1\.elb\.localhost\n# END minato load balancers \w+$/m);
    expect(hosts.startsWith('127.0.0.1 localhost\n')).toBe(true);
  });

  it('keeps the same worker when the same config is applied again', async () => {
    const before = await readFile(join(dataDir, 'lb', 'haproxy.cfg'), 'utf8');
    const pids = await workerPids();
    await plane.apply(current);
    expect(await workerPids()).toEqual(pids);
    expect(await readFile(join(dataDir, 'lb', 'haproxy.cfg'), 'utf8')).toBe(before);
  });
});
