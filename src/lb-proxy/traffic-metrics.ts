/**
 * One period's load balancer metrics, pure: from the counters a period added (see
 * traffic-counters.ts), the gauges of the last reading and the targets' health, the data ELB
 * publishes to CloudWatch, with its names, units and dimensions (`LoadBalancer=app/<name>/<id>`
 * or `net/<name>/<id>`, `TargetGroup=targetgroup/<name>/<id>`, the ARNs' resource parts).
 *
 * Application load balancers: RequestCount, ProcessedBytes, NewConnectionCount,
 * ActiveConnectionCount (the client and target connections open at the reading),
 * HTTPCode_ELB_3XX/4XX/5XX_Count by LoadBalancer; RequestCount,
 * HTTPCode_Target_2XX…5XX_Count and TargetResponseTime by LoadBalancer and by TargetGroup +
 * LoadBalancer — each only when not zero, as ELB reports them only while requests flow;
 * RequestCountPerTarget (the group's requests over its healthy targets, all of them when none is
 * healthy, as routing then fails open) by TargetGroup and TargetGroup + LoadBalancer, and
 * HealthyHostCount / UnHealthyHostCount by TargetGroup + LoadBalancer, every period.
 * Network load balancers: ActiveFlowCount, NewFlowCount and ProcessedBytes by LoadBalancer, and
 * the host counts by TargetGroup + LoadBalancer, every period.
 */
import type { ProxyConfig, ProxyLoadBalancer, ProxyTargetGroup } from './proxy-config.js';
import { type ProxyCounters, type StatReading, rowKey, zeroCounters } from './haproxy-stats.js';
import { backendName, frontendName, serverName } from './haproxy-syntax.js';
import type { LoadBalancerDatum, LoadBalancerMetricBatch } from './metrics-port.js';

/** How many of a group's targets are healthy and unhealthy now (draining ones not counted). */
export interface HostCounts {
  healthy: number;
  unhealthy: number;
}

/** `app/<name>/<id>` from `arn:…:loadbalancer/app/<name>/<id>`. */
export const loadBalancerDimension = (arn: string): string => arn.slice(arn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
/** `targetgroup/<name>/<id>` from the group's ARN. */
export const targetGroupDimension = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

const HTTP_LISTENERS = new Set(['HTTP', 'HTTPS']);
const STREAM_LISTENERS = new Set(['TCP', 'TLS']);

/** The data of one period; `latest` is the last reading (gauges), `deltas` what the period counted. */
export function trafficMetrics(
  config: ProxyConfig,
  deltas: ReadonlyMap<string, ProxyCounters>,
  latest: StatReading | undefined,
  hosts: (group: ProxyTargetGroup) => HostCounts,
  timestamp: number,
): LoadBalancerMetricBatch[] {
  const groups = new Map(config.targetGroups.map((g) => [g.arn, g]));
  const gauges = new Map((latest?.rows ?? []).map((r) => [rowKey(r), r]));
  const counted = (kind: 'frontend' | 'backend' | 'server', proxy: string, name: string) => deltas.get(rowKey({ kind, proxy, name })) ?? zeroCounters();
  const batches = new Map<string, LoadBalancerMetricBatch>();
  // A group forwarded to by several load balancers has one TargetGroup-only series.
  const perTargetDone = new Set<string>();
  for (const lb of config.loadBalancers) {
    const application = lb.type === 'application';
    const listeners = lb.listeners.filter((l) => (application ? HTTP_LISTENERS : STREAM_LISTENERS).has(l.protocol));
    if (listeners.length === 0) continue;
    const [, , , region = '', accountId = ''] = lb.arn.split(':');
    const namespace = application ? 'AWS/ApplicationELB' : 'AWS/NetworkELB';
    const batchKey = `${accountId} ${region} ${namespace}`;
    const batch = batches.get(batchKey) ?? batches.set(batchKey, { accountId, region, namespace, timestamp, data: [] }).get(batchKey)!;
    const lbDim = { name: 'LoadBalancer', value: loadBalancerDimension(lb.arn) };
    const front = sum(listeners.map((l) => counted('frontend', frontendName(l.arn), 'FRONTEND')));
    const frontSessions = listeners.reduce((s, l) => s + (gauges.get(rowKey({ kind: 'frontend', proxy: frontendName(l.arn), name: 'FRONTEND' }))?.current ?? 0), 0);
    const used = groupsOf(lb).map((arn) => groups.get(arn)).filter((g): g is ProxyTargetGroup => g !== undefined);
    const out = batch.data;
    const count = (metricName: string, dims: LoadBalancerDatum['dimensions'], value: number, always = false, unit: LoadBalancerDatum['unit'] = 'Count') => {
      if (value > 0 || always) out.push({ metricName, dimensions: dims, unit, value });
    };
    for (const g of used) {
      const tgDim = { name: 'TargetGroup', value: targetGroupDimension(g.arn) };
      const h = hosts(g);
      count('HealthyHostCount', [tgDim, lbDim], h.healthy, true);
      count('UnHealthyHostCount', [tgDim, lbDim], h.unhealthy, true);
    }
    if (!application) {
      count('ActiveFlowCount', [lbDim], frontSessions, true);
      count('NewFlowCount', [lbDim], front.connections, true);
      count('ProcessedBytes', [lbDim], front.bytesIn + front.bytesOut, true, 'Bytes');
      continue;
    }
    count('RequestCount', [lbDim], front.requests);
    count('ProcessedBytes', [lbDim], front.bytesIn + front.bytesOut, false, 'Bytes');
    count('NewConnectionCount', [lbDim], front.connections);
    const backSessions = used.reduce((s, g) => s + (gauges.get(rowKey({ kind: 'backend', proxy: backendName(g.arn), name: 'BACKEND' }))?.current ?? 0), 0);
    count('ActiveConnectionCount', [lbDim], frontSessions + backSessions);
    const fromTargets = zeroCounters();
    const times: Array<{ requests: number; seconds: number }> = [];
    for (const g of used) {
      const tgDim = { name: 'TargetGroup', value: targetGroupDimension(g.arn) };
      const backend = counted('backend', backendName(g.arn), 'BACKEND');
      const servers = sum([...new Set(g.targets.map((t) => serverName(t.address, t.port)))].map((s) => counted('server', backendName(g.arn), s)));
      addInto(fromTargets, servers);
      count('RequestCount', [tgDim, lbDim], backend.requests);
      const h = hosts(g);
      const perTarget = backend.requests / Math.max(1, h.healthy > 0 ? h.healthy : g.targets.filter((t) => !t.draining).length);
      // Always reported, as ELB does: target tracking's scale-in alarm needs the zeros.
      if (!perTargetDone.has(g.arn)) count('RequestCountPerTarget', [tgDim], perTarget, true);
      perTargetDone.add(g.arn);
      count('RequestCountPerTarget', [tgDim, lbDim], perTarget, true);
      for (const c of ['2', '3', '4', '5'] as const) count(`HTTPCode_Target_${c}XX_Count`, [tgDim, lbDim], servers[`hrsp${c}xx`]);
      const answered = servers.hrsp1xx + servers.hrsp2xx + servers.hrsp3xx + servers.hrsp4xx + servers.hrsp5xx;
      const rtime = gauges.get(rowKey({ kind: 'backend', proxy: backendName(g.arn), name: 'BACKEND' }))?.responseTimeMs ?? 0;
      if (answered > 0) {
        times.push({ requests: answered, seconds: rtime / 1000 });
        out.push(responseTime([tgDim, lbDim], [{ requests: answered, seconds: rtime / 1000 }]));
      }
    }
    for (const c of ['2', '3', '4', '5'] as const) count(`HTTPCode_Target_${c}XX_Count`, [lbDim], fromTargets[`hrsp${c}xx`]);
    if (times.length > 0) out.push(responseTime([lbDim], times));
    // What the listeners answered that no target did: redirects, fixed responses, ELB's own errors.
    for (const c of ['3', '4', '5'] as const) count(`HTTPCode_ELB_${c}XX_Count`, [lbDim], Math.max(0, front[`hrsp${c}xx`] - fromTargets[`hrsp${c}xx`]));
  }
  return [...batches.values()].filter((b) => b.data.length > 0);
}

/**
 * TargetResponseTime as a statistic set over the period's answered requests. HAProxy keeps only
 * the average of each backend's last 1024 requests, so every request of a group counts at that
 * average: Average is right over steady traffic, Minimum and Maximum are the groups' averages.
 */
function responseTime(dimensions: LoadBalancerDatum['dimensions'], parts: Array<{ requests: number; seconds: number }>): LoadBalancerDatum {
  const n = parts.reduce((s, p) => s + p.requests, 0);
  return {
    metricName: 'TargetResponseTime',
    dimensions,
    unit: 'Seconds',
    statistics: {
      sampleCount: n,
      sum: parts.reduce((s, p) => s + p.requests * p.seconds, 0),
      minimum: Math.min(...parts.map((p) => p.seconds)),
      maximum: Math.max(...parts.map((p) => p.seconds)),
    },
  };
}

/** The groups the load balancer's listeners forward to, in order of first mention. */
function groupsOf(lb: ProxyLoadBalancer): string[] {
  const out = new Set<string>();
  for (const l of lb.listeners) for (const r of l.rules) if (r.action.type === 'forward') for (const g of r.action.targetGroups) out.add(g.arn);
  return [...out];
}

function sum(list: ProxyCounters[]): ProxyCounters {
  const total = zeroCounters();
  for (const c of list) addInto(total, c);
  return total;
}

function addInto(into: ProxyCounters, more: ProxyCounters): void {
  for (const k of Object.keys(into) as Array<keyof ProxyCounters>) into[k] += more[k];
}
