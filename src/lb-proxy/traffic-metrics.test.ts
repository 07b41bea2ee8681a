import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ProxyCounters, zeroCounters } from './haproxy-stats.js';
import { backendName, frontendName, serverName } from './haproxy-syntax.js';
import type { LoadBalancerDatum } from './metrics-port.js';
import type { ProxyConfig, ProxyTargetGroup } from './proxy-config.js';
import { loadBalancerDimension, targetGroupDimension, trafficMetrics } from './traffic-metrics.js';

const ALB = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/50dc6c495c0c9188';
const NLB = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/tcp/73e2d6bc24d8a067';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-tg/6d0ecf831eec9f09';
const TCP_TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tcp-tg/1a2b3c4d5e6f7a8b';
const HTTP_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';
const TCP_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/net/tcp/73e2d6bc24d8a067/2a2b2c2d2e2f2a2b';

const group = (arn: string, protocol: 'HTTP' | 'TCP', targets: string[]): ProxyTargetGroup => ({
  arn,
  name: 'g',
  protocol,
  healthCheck: { enabled: true, protocol, port: 'traffic-port', intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 },
  deregistrationDelaySeconds: 3,
  slowStartSeconds: 0,
  stickiness: { enabled: false, type: 'lb_cookie', durationSeconds: 0 },
  algorithm: 'round_robin',
  targets: targets.map((a) => ({ id: a, address: a, port: 8080, draining: false })),
});

const config: ProxyConfig = {
  loadBalancers: [
    {
      arn: ALB, name: 'web', type: 'application', dnsName: 'web', address: '127.77.0.1', idleTimeoutSeconds: 60,
      listeners: [{ arn: HTTP_LISTENER, port: 80, protocol: 'HTTP', certificates: [], rules: [{ arn: 'r', priority: 'default', conditions: [], action: { type: 'forward', targetGroups: [{ arn: TG, weight: 1 }] } }] }],
    },
    {
      arn: NLB, name: 'tcp', type: 'network', dnsName: 'tcp', address: '127.77.0.2', idleTimeoutSeconds: 60,
      listeners: [{ arn: TCP_LISTENER, port: 9000, protocol: 'TCP', certificates: [], rules: [{ arn: 'r2', priority: 'default', conditions: [], action: { type: 'forward', targetGroups: [{ arn: TCP_TG, weight: 1 }] } }] }],
    },
  ],
  targetGroups: [group(TG, 'HTTP', ['10.0.0.2', '10.0.0.3']), group(TCP_TG, 'TCP', ['10.0.0.4'])],
};

const c = (extra: Partial<ProxyCounters>): ProxyCounters => ({ ...zeroCounters(), ...extra });
const fe = (arn: string) => `frontend/${frontendName(arn)}/FRONTEND`;
const be = (arn: string) => `backend/${backendName(arn)}/BACKEND`;
const sv = (arn: string, address: string) => `server/${backendName(arn)}/${serverName(address, 8080)}`;
const lbDim = { name: 'LoadBalancer', value: 'app/web/50dc6c495c0c9188' };
const tgDim = { name: 'TargetGroup', value: 'targetgroup/web-tg/6d0ecf831eec9f09' };
const find = (data: LoadBalancerDatum[], name: string, dims: Array<{ name: string; value: string }>) =>
  data.filter((d) => d.metricName === name && JSON.stringify(d.dimensions) === JSON.stringify(dims));

describe('load balancer metrics of one period', () => {
  it('forms the dimensions from the ARNs as ELB does', () => {
    expect(loadBalancerDimension(ALB)).toBe('app/web/50dc6c495c0c9188');
    expect(loadBalancerDimension(NLB)).toBe('net/tcp/73e2d6bc24d8a067');
    expect(targetGroupDimension(TG)).toBe('targetgroup/web-tg/6d0ecf831eec9f09');
  });

  it('publishes ALB requests, codes, response time and hosts, and NLB flows and bytes', () => {
    const deltas = new Map([
      [fe(HTTP_LISTENER), c({ requests: 12, connections: 3, bytesIn: 100, bytesOut: 900, hrsp2xx: 8, hrsp3xx: 1, hrsp4xx: 2, hrsp5xx: 1 })],
      [be(TG), c({ requests: 10 })],
      [sv(TG, '10.0.0.2'), c({ requests: 5, hrsp2xx: 4, hrsp4xx: 1 })],
      [sv(TG, '10.0.0.3'), c({ requests: 4, hrsp2xx: 4 })],
      [fe(TCP_LISTENER), c({ connections: 2, bytesIn: 10, bytesOut: 20 })],
    ]);
    const latest = {
      workerPid: 9,
      rows: [
        { kind: 'frontend' as const, proxy: frontendName(HTTP_LISTENER), name: 'FRONTEND', counters: zeroCounters(), current: 2, responseTimeMs: 0 },
        { kind: 'backend' as const, proxy: backendName(TG), name: 'BACKEND', counters: zeroCounters(), current: 1, responseTimeMs: 250 },
        { kind: 'frontend' as const, proxy: frontendName(TCP_LISTENER), name: 'FRONTEND', counters: zeroCounters(), current: 1, responseTimeMs: 0 },
      ],
    };
    const batches = trafficMetrics(config, deltas, latest, (g) => (g.arn === TG ? { healthy: 2, unhealthy: 0 } : { healthy: 0, unhealthy: 1 }), 1_700_000_000_000);
    const alb = batches.find((b) => b.namespace === 'AWS/ApplicationELB')!;
    expect(alb).toMatchObject({ accountId: '000000000000', region: 'us-east-1', timestamp: 1_700_000_000_000 });
    const value = (name: string, dims: Array<{ name: string; value: string }>) => find(alb.data, name, dims).map((d) => d.value);
    expect(value('RequestCount', [lbDim])).toEqual([12]);
    expect(value('RequestCount', [tgDim, lbDim])).toEqual([10]);
    expect(value('RequestCountPerTarget', [tgDim])).toEqual([5]);
    expect(value('RequestCountPerTarget', [tgDim, lbDim])).toEqual([5]);
    expect(value('HTTPCode_Target_2XX_Count', [tgDim, lbDim])).toEqual([8]);
    expect(value('HTTPCode_Target_2XX_Count', [lbDim])).toEqual([8]);
    expect(value('HTTPCode_Target_4XX_Count', [lbDim])).toEqual([1]);
    expect(value('HTTPCode_Target_5XX_Count', [lbDim])).toEqual([]);
    // The listener answered 2 4xx, 1 5xx and 1 3xx itself.
    expect(value('HTTPCode_ELB_4XX_Count', [lbDim])).toEqual([1]);
    expect(value('HTTPCode_ELB_5XX_Count', [lbDim])).toEqual([1]);
    expect(value('HTTPCode_ELB_3XX_Count', [lbDim])).toEqual([1]);
    expect(value('HealthyHostCount', [tgDim, lbDim])).toEqual([2]);
    expect(value('UnHealthyHostCount', [tgDim, lbDim])).toEqual([0]);
    expect(value('ActiveConnectionCount', [lbDim])).toEqual([3]);
    expect(value('NewConnectionCount', [lbDim])).toEqual([3]);
    expect(value('ProcessedBytes', [lbDim])).toEqual([1000]);
    expect(find(alb.data, 'TargetResponseTime', [tgDim, lbDim])).toEqual([
      { metricName: 'TargetResponseTime', dimensions: [tgDim, lbDim], unit: 'Seconds', statistics: { sampleCount: 9, sum: 2.25, minimum: 0.25, maximum: 0.25 } },
    ]);
    const nlb = batches.find((b) => b.namespace === 'AWS/NetworkELB')!;
    const nlbDim = { name: 'LoadBalancer', value: 'net/tcp/73e2d6bc24d8a067' };
    expect(find(nlb.data, 'ActiveFlowCount', [nlbDim])[0]?.value).toBe(1);
    expect(find(nlb.data, 'NewFlowCount', [nlbDim])[0]?.value).toBe(2);
    expect(find(nlb.data, 'ProcessedBytes', [nlbDim])[0]).toMatchObject({ value: 30, unit: 'Bytes' });
    expect(find(nlb.data, 'UnHealthyHostCount', [{ name: 'TargetGroup', value: 'targetgroup/tcp-tg/1a2b3c4d5e6f7a8b' }, nlbDim])[0]?.value).toBe(1);
  });

  it('publishes no request or code datum for a period without requests, but the per-target and host counts', () => {
    const batches = trafficMetrics(config, new Map(), undefined, () => ({ healthy: 2, unhealthy: 0 }), 0);
    const alb = batches.find((b) => b.namespace === 'AWS/ApplicationELB')!;
    expect([...new Set(alb.data.map((d) => d.metricName))].sort()).toEqual(['HealthyHostCount', 'RequestCountPerTarget', 'UnHealthyHostCount']);
    expect(alb.data.find((d) => d.metricName === 'RequestCountPerTarget')?.value).toBe(0);
  });

  it('divides a group’s requests over its healthy targets, over all of them when none is healthy', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.integer({ min: 0, max: 2 }), (requests, healthy) => {
        const batches = trafficMetrics(config, new Map([[be(TG), c({ requests })]]), undefined, () => ({ healthy, unhealthy: 2 - healthy }), 0);
        const perTarget = batches[0]!.data.find((d) => d.metricName === 'RequestCountPerTarget')!.value!;
        expect(perTarget).toBeCloseTo(requests / (healthy > 0 ? healthy : 2));
      }),
    );
  });

  it('reports a group two load balancers forward to once by TargetGroup, and under each load balancer', () => {
    const second = { ...config.loadBalancers[0]!, arn: ALB.replace('web/50dc6c495c0c9188', 'web2/1111111111111111'), listeners: [{ ...config.loadBalancers[0]!.listeners[0]!, arn: `${HTTP_LISTENER}2` }] };
    const shared = { ...config, loadBalancers: [config.loadBalancers[0]!, second] };
    const data = trafficMetrics(shared, new Map([[be(TG), c({ requests: 8 })]]), undefined, () => ({ healthy: 2, unhealthy: 0 }), 0).flatMap((b) => b.data);
    expect(find(data, 'RequestCountPerTarget', [tgDim]).map((d) => d.value)).toEqual([4]);
    expect(data.filter((d) => d.metricName === 'RequestCountPerTarget' && d.dimensions.length === 2).map((d) => d.dimensions[1]!.value).sort()).toEqual(['app/web/50dc6c495c0c9188', 'app/web2/1111111111111111']);
  });

  it('never reports negative counts, whatever the counters', () => {
    const counters = fc.record({ requests: fc.nat(1000), connections: fc.nat(1000), bytesIn: fc.nat(1000), bytesOut: fc.nat(1000), hrsp1xx: fc.nat(9), hrsp2xx: fc.nat(1000), hrsp3xx: fc.nat(1000), hrsp4xx: fc.nat(1000), hrsp5xx: fc.nat(1000) });
    fc.assert(
      fc.property(counters, counters, counters, (front, a, b) => {
        const deltas = new Map([[fe(HTTP_LISTENER), front], [sv(TG, '10.0.0.2'), a], [sv(TG, '10.0.0.3'), b], [be(TG), c({ requests: a.requests + b.requests })]]);
        for (const batch of trafficMetrics(config, deltas, undefined, () => ({ healthy: 1, unhealthy: 1 }), 0)) {
          for (const d of batch.data) expect(d.value ?? d.statistics!.sum).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
