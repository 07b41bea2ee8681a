// The data plane's traffic metrics over a real HAProxy: every request counted once per period,
// across reloads (each worker counts from zero), with the targets' codes and health.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alb, allHealthy, forward, get, group, openPlane, rule, startTarget, stopTargets, type TestTarget } from './lb.fixtures.js';
import type { HaproxyDataPlane } from '../../src/lb-proxy/haproxy-data-plane.js';
import type { LoadBalancerDatum, LoadBalancerMetricBatch } from '../../src/lb-proxy/metrics-port.js';
import type { ProxyConfig } from '../../src/lb-proxy/proxy-config.js';

const lbAddress = '127.78.6.1';
const nlbAddress = '127.78.6.2';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/metrics/1';
const TCP_TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/flows/2';
let plane: HaproxyDataPlane;
let cleanup: () => Promise<void>;
let targets: TestTarget[];
const published: LoadBalancerMetricBatch[] = [];
let stopPublishing: () => void;

/** A network load balancer with one TCP listener on port 9000, forwarding to the first target. */
function nlb(): { lb: ProxyConfig['loadBalancers'][number]; group: ProxyConfig['targetGroups'][number] } {
  const lb = { ...alb('flows', nlbAddress, 9000, [rule('default', forward(TCP_TG))]), type: 'network' as const };
  lb.arn = lb.arn.replace('/app/', '/net/');
  lb.listeners[0]!.protocol = 'TCP';
  const tcp = group(TCP_TG, targets.slice(0, 1));
  tcp.protocol = 'TCP';
  tcp.healthCheck = { ...tcp.healthCheck, protocol: 'TCP', path: undefined, matcher: undefined };
  return { lb, group: tcp };
}

const config = (extraRules: number): ProxyConfig => ({
  loadBalancers: [
    alb('metrics', lbAddress, 8080, [
      ...Array.from({ length: extraRules }, (_, i) => rule(i + 1, { type: 'fixed-response', statusCode: '404' }, [{ field: 'path-pattern', values: [`/gone-${i}`] }])),
      rule('default', forward(TG)),
    ]),
    nlb().lb,
  ],
  targetGroups: [group(TG, targets), nlb().group],
});

beforeAll(async () => {
  targets = await Promise.all(['a', 'b'].map((n, i) => startTarget(n, `127.78.6.${10 + i}`)));
  ({ plane, cleanup } = await openPlane());
  await plane.apply(config(0));
  await allHealthy(plane, TG, 2);
  await allHealthy(plane, TCP_TG, 1);
  stopPublishing = plane.publishMetrics((batches) => published.push(...batches), 200);
}, 30_000);

afterAll(async () => {
  stopPublishing?.();
  await cleanup?.();
  await stopTargets(targets ?? []);
});

const data = (namespace = 'AWS/ApplicationELB'): LoadBalancerDatum[] => published.filter((b) => b.namespace === namespace).flatMap((b) => b.data);
const total = (name: string, dims: number) => data().filter((d) => d.metricName === name && d.dimensions.length === dims).reduce((s, d) => s + (d.value ?? 0), 0);
const settle = () => new Promise((r) => setTimeout(r, 600));

describe('load balancer metrics from HAProxy’s counters', () => {
  it('counts each request once across periods and reloads, with the targets’ codes, per-target counts and healthy hosts', async () => {
    await settle();
    published.length = 0;
    let sent = 0;
    let notFound = 0;
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 20; i++) {
        expect((await get(`http://${lbAddress}:8080/x`)).status).toBe(200);
        sent++;
      }
      // A request a listener rule answers itself (after the first reload).
      if (round > 1) {
        expect((await get(`http://${lbAddress}:8080/gone-0`)).status).toBe(404);
        notFound++;
      }
      await plane.apply(config(round));
    }
    await settle();
    expect(total('RequestCount', 1)).toBe(sent + notFound);
    expect(total('RequestCount', 2)).toBe(sent);
    expect(total('HTTPCode_Target_2XX_Count', 2)).toBe(sent);
    expect(total('HTTPCode_ELB_4XX_Count', 1)).toBe(notFound);
    // Two healthy targets share the group's requests.
    expect(total('RequestCountPerTarget', 1)).toBeCloseTo(sent / 2);
    const healthy = data().filter((d) => d.metricName === 'HealthyHostCount');
    expect(healthy.length).toBeGreaterThan(0);
    expect(healthy.every((d) => d.value === 2)).toBe(true);
    const times = data().filter((d) => d.metricName === 'TargetResponseTime' && d.dimensions.length === 2);
    expect(times.reduce((s, d) => s + d.statistics!.sampleCount, 0)).toBe(sent);
    expect(published.every((b) => b.region === 'us-east-1' && b.accountId === '000000000000')).toBe(true);
  }, 30_000);

  it('counts a network load balancer’s flows and bytes, and its healthy hosts', async () => {
    await settle();
    published.length = 0;
    let bytes = 0;
    // A new connection per request: one flow each.
    for (let i = 0; i < 15; i++) {
      const res = await get(`http://${nlbAddress}:9000/x`);
      expect(res.status).toBe(200);
      bytes += res.body.length;
    }
    await settle();
    const flows = data('AWS/NetworkELB');
    const sumOf = (name: string) => flows.filter((d) => d.metricName === name).reduce((s, d) => s + (d.value ?? 0), 0);
    expect(sumOf('NewFlowCount')).toBe(15);
    // Requests in, answers (headers and bodies) out.
    expect(sumOf('ProcessedBytes')).toBeGreaterThan(bytes);
    expect(flows.filter((d) => d.metricName === 'ActiveFlowCount').length).toBeGreaterThan(0);
    const healthy = flows.filter((d) => d.metricName === 'HealthyHostCount');
    expect(healthy.length).toBeGreaterThan(0);
    expect(healthy.every((d) => d.value === 1 && d.dimensions.map((x) => x.value).join(' ') === 'targetgroup/flows/2 net/flows/1')).toBe(true);
    // Nothing of the network load balancer goes to the application namespace.
    expect(data().some((d) => d.dimensions.some((x) => x.value.startsWith('net/')))).toBe(false);
  }, 30_000);

  it('publishes no request count for periods without requests', async () => {
    await settle();
    published.length = 0;
    await settle();
    expect(data().some((d) => d.metricName === 'RequestCount')).toBe(false);
    expect(data('AWS/NetworkELB').find((d) => d.metricName === 'NewFlowCount')?.value).toBe(0);
    expect(data().some((d) => d.metricName === 'HealthyHostCount')).toBe(true);
  });
});
