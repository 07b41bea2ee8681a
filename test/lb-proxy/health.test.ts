// Health checks and draining with a real HAProxy: ELB's reason codes, no traffic to an unhealthy
// or a new target until it passes, and a draining target that finishes what it has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'node:http';
import { alb, allHealthy, forward, get, group, openPlane, rule, startTarget, stopTargets, until, type TestTarget } from './lb.fixtures.js';
import type { HaproxyDataPlane } from '../../src/lb-proxy/haproxy-data-plane.js';
import type { ObservedTargetHealth, ProxyConfig } from '../../src/lb-proxy/proxy-config.js';

const lbAddress = '127.78.2.1';
let plane: HaproxyDataPlane;
let cleanup: () => Promise<void>;
let targets: TestTarget[];
const changes: Array<{ arn: string; health: ObservedTargetHealth }> = [];

const config = (members: TestTarget[], draining: TestTarget[] = []): ProxyConfig => {
  const g = group('arn:tg/h', members);
  g.targets = g.targets.map((t) => ({ ...t, draining: draining.some((d) => d.address === t.address) }));
  return { loadBalancers: [alb('health', lbAddress, 8080, [rule('default', forward('arn:tg/h'))])], targetGroups: [g] };
};
const url = (path: string): string => `http://${lbAddress}:8080${path}`;
const reset = (): void => targets.forEach((t) => (t.hits = 0));

beforeAll(async () => {
  targets = await Promise.all(['a', 'b', 'c'].map((n, i) => startTarget(n, `127.78.2.${10 + i}`)));
  ({ plane, cleanup } = await openPlane());
  plane.onHealthChange((arn, health) => changes.push({ arn, health }));
  await plane.apply(config(targets.slice(0, 2)));
  await allHealthy(plane, 'arn:tg/h', 2);
}, 30_000);

afterAll(async () => {
  await cleanup?.();
  await stopTargets(targets ?? []);
});

describe('health checks', () => {
  it('reports initial then healthy, and a target answering 500 becomes unhealthy and gets no traffic', async () => {
    expect(changes.filter((c) => c.health.state === 'healthy')).toHaveLength(2);
    const [a, b] = targets as [TestTarget, TestTarget];
    a.healthStatus = 500;
    await until(() => plane.targetHealth('arn:tg/h').some((h) => h.state === 'unhealthy'), 8000, 'unhealthy');
    await plane.idle();
    const bad = plane.targetHealth('arn:tg/h').find((h) => h.id === a.address)!;
    expect(bad).toMatchObject({ state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]' });
    reset();
    for (let i = 0; i < 20; i++) expect((await get(url('/'))).body).toBe('b');
    expect(a.hits).toBe(0);
    // Every target unhealthy: the group fails open.
    b.healthStatus = 500;
    await until(() => plane.targetHealth('arn:tg/h').every((h) => h.state === 'unhealthy'), 8000, 'all unhealthy');
    await plane.idle();
    reset();
    for (let i = 0; i < 10; i++) expect((await get(url('/'))).status).toBe(200);
    expect(a.hits).toBeGreaterThan(0);
    expect(b.hits).toBeGreaterThan(0);
    a.healthStatus = 200;
    b.healthStatus = 200;
    await allHealthy(plane, 'arn:tg/h', 2);
  }, 30_000);

  it('sends nothing to a new target until it passes, and traffic within a second after', async () => {
    const c = targets[2]!;
    let healthyAt = 0;
    plane.onHealthChange((_arn, h) => {
      if (h.id === c.address && h.state === 'healthy') healthyAt = Date.now();
    });
    await plane.apply(config(targets));
    expect(plane.targetHealth('arn:tg/h').find((h) => h.id === c.address)?.state).toBe('initial');
    reset();
    while (healthyAt === 0) {
      await get(url('/'));
      if (healthyAt === 0) expect(c.hits).toBe(0);
    }
    while (c.hits === 0) await get(url('/'));
    expect(Date.now() - healthyAt).toBeLessThanOrEqual(1000);
  }, 30_000);

  it('drains: the in-flight slow request finishes, no new request arrives', async () => {
    const c = targets[2]!;
    // Find a request that lands on c and is slow.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let slow: Promise<{ status: number; body: string }> | undefined;
    for (let i = 0; i < 6 && !slow; i++) {
      const before = c.hits;
      const p = get(url('/slow/1500'), {}, agent);
      await new Promise((r) => setTimeout(r, 50));
      if (c.hits > before) slow = p;
      else await p;
    }
    expect(slow).toBeDefined();
    await plane.apply(config(targets, [c]));
    const hitsAtDrain = c.hits;
    for (let i = 0; i < 30; i++) expect((await get(url('/'))).body).not.toBe('c');
    expect(c.hits).toBe(hitsAtDrain);
    expect(await slow).toMatchObject({ status: 200, body: 'c' });
    agent.destroy();
  }, 30_000);
});
