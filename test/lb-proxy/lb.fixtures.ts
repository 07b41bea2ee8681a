/**
 * What the load-balancer tests share: HTTP targets on loopback addresses whose answers and
 * health can be changed, config builders in ELB's defaults, and a data plane in a temporary
 * data directory with its own hosts file.
 */
import { type Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HaproxyDataPlane } from '../../src/lb-proxy/haproxy-data-plane.js';
import type { ProxyAction, ProxyConfig, ProxyLoadBalancer, ProxyRule, ProxyTargetGroup } from '../../src/lb-proxy/proxy-config.js';

/** A Node HTTP server answering its own name; health and delays are switchable. */
export interface TestTarget {
  name: string;
  address: string;
  port: number;
  /** Status of GET /health. */
  healthStatus: number;
  /** Requests received (health checks excluded). */
  hits: number;
  /** Headers of the last request. */
  lastHeaders: IncomingMessage['headers'];
  server: Server;
}

/** Starts a target on `address` (a free port). */
export async function startTarget(name: string, address: string): Promise<TestTarget> {
  const target: TestTarget = { name, address, port: 0, healthStatus: 200, hits: 0, lastHeaders: {}, server: undefined as unknown as Server };
  target.server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/health') {
      res.statusCode = target.healthStatus;
      res.end();
      return;
    }
    target.hits += 1;
    target.lastHeaders = req.headers;
    const slow = /^\/slow\/(\d+)/.exec(req.url ?? '');
    const answer = (): void => {
      res.setHeader('content-type', 'text/plain');
      res.end(name);
    };
    if (slow) setTimeout(answer, Number(slow[1]));
    else answer();
  });
  target.server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => target.server.listen(0, address, resolve));
  target.port = (target.server.address() as { port: number }).port;
  return target;
}

/** Stops targets, ending their connections. */
export async function stopTargets(targets: TestTarget[]): Promise<void> {
  await Promise.all(targets.map((t) => new Promise<void>((resolve) => {
    t.server.closeAllConnections();
    t.server.close(() => resolve());
  })));
}

/** A target group in ELB's defaults, with fast checks on /health. */
export function group(arn: string, targets: TestTarget[], extra: Partial<ProxyTargetGroup> = {}): ProxyTargetGroup {
  return {
    arn,
    name: arn.split('/').pop() ?? arn,
    protocol: 'HTTP',
    healthCheck: {
      enabled: true,
      protocol: 'HTTP',
      port: 'traffic-port',
      path: '/health',
      intervalSeconds: 1,
      timeoutSeconds: 1,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
      matcher: '200',
    },
    deregistrationDelaySeconds: 30,
    slowStartSeconds: 0,
    stickiness: { enabled: false, type: 'lb_cookie', durationSeconds: 86400 },
    algorithm: 'round_robin',
    targets: targets.map((t) => ({ id: t.address, address: t.address, port: t.port, draining: false })),
    ...extra,
  };
}

/** A forward to one group. */
export const forward = (arn: string): ProxyAction => ({ type: 'forward', targetGroups: [{ arn, weight: 1 }] });

/** A rule; the default rule when priority is 'default'. */
export function rule(priority: number | 'default', action: ProxyAction, conditions: ProxyRule['conditions'] = []): ProxyRule {
  return { arn: `arn:rule/${String(priority)}`, priority, conditions, action };
}

/** An application load balancer with one HTTP listener. */
export function alb(name: string, address: string, port: number, rules: ProxyRule[]): ProxyLoadBalancer {
  return {
    arn: `arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/${name}/1`,
    name,
    type: 'application',
    dnsName: `${name}-1.us-east-1.elb.localhost`,
    address,
    idleTimeoutSeconds: 60,
    listeners: [{ arn: `arn:listener/${name}/${port}`, port, protocol: 'HTTP', certificates: [], rules }],
  };
}

/** A data plane in a fresh data directory with its own hosts file. */
export async function openPlane(): Promise<{ plane: HaproxyDataPlane; dataDir: string; hostsFile: string; cleanup: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'minato-lb-'));
  const hostsFile = join(dataDir, 'hosts');
  await writeFile(hostsFile, '127.0.0.1 localhost\n');
  const plane = await HaproxyDataPlane.open({ dataDir, hostsFile });
  return {
    plane,
    dataDir,
    hostsFile,
    cleanup: async () => {
      await plane.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** One GET; resolves with status, body and headers (never rejects on HTTP errors). */
export function get(
  url: string,
  headers: Record<string, string> = {},
  agent: false | Agent = false,
): Promise<{ status: number; body: string; headers: IncomingMessage['headers'] }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits until `check` holds (polling), or throws after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The state every target of a group must reach. */
export async function allHealthy(plane: HaproxyDataPlane, groupArn: string, count: number): Promise<void> {
  await until(() => {
    const h = plane.targetHealth(groupArn);
    return h.length === count && h.every((t) => t.state === 'healthy');
  }, 10_000, `${count} healthy targets in ${groupArn}`);
  await plane.idle();
}

export type { ProxyConfig };
