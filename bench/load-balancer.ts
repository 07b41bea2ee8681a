/**
 * Benchmark of the load-balancer data plane (`node --import tsx bench/load-balancer.ts`, as root):
 * three cheap targets (one HAProxy answering 200 on three loopback addresses) reached
 *   - directly,
 *   - through a hand-written minimal haproxy.cfg (round robin, nothing else),
 *   - through one minato HTTP listener (HaproxyDataPlane: rules, forwarded headers, ALB errors),
 * alternated in the same run, each at saturation (autocannon in its own process) and at half of
 * minato's saturation rate (autocannon rate-limited on the proxy, while a prober in its own process
 * alternates requests to the proxy and straight to a target: µs-resolution percentiles, the
 * machine's noise shared by both, the difference being the proxy's added latency). Then: time from a new target's passing health check to its first request, and
 * requests reaching a target after its drain was applied (must be zero).
 * Writes bench/results/load-balancer-<timestamp>.json and load-balancer-latest.json.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, relative } from 'node:path';
import { HaproxyDataPlane } from '../src/lb-proxy/haproxy-data-plane.js';
import type { ProxyConfig, ProxyTargetGroup } from '../src/lb-proxy/proxy-config.js';
import { autocannon, minimalConfig, probeLatency, startHaproxy, targetsConfig, type BenchHaproxy, type LoadResult, type ProbeStats } from './lib/lb-subjects.js';
import { round } from './lib/stats.js';
import { machineInfo, target, targetLines, writeResults } from './lib/task-report.js';

const ROUNDS = 3;
const SECONDS = 5;
const CONNECTIONS = 32;
const targets = [1, 2, 3, 4].map((i) => ({ name: `t${i}`, address: `127.78.200.${10 + i}`, port: 8000 }));
const serving = targets.slice(0, 3);
const subjects = {
  direct: `http://${serving[0]!.address}:8000/`,
  haproxy: 'http://127.78.200.2:8080/',
  minato: 'http://127.78.200.1:8080/',
} as const;
type Subject = keyof typeof subjects;

function lbConfig(members: typeof targets, draining: string[] = []): ProxyConfig {
  const group: ProxyTargetGroup = {
    arn: 'arn:bench:tg', name: 'bench', protocol: 'HTTP',
    healthCheck: { enabled: true, protocol: 'HTTP', port: 'traffic-port', path: '/', intervalSeconds: 1, timeoutSeconds: 1, healthyThreshold: 2, unhealthyThreshold: 2, matcher: '200' },
    deregistrationDelaySeconds: 30, slowStartSeconds: 0,
    stickiness: { enabled: false, type: 'lb_cookie', durationSeconds: 86400 }, algorithm: 'round_robin',
    targets: members.map((t) => ({ id: t.address, address: t.address, port: t.port, draining: draining.includes(t.name) })),
  };
  return {
    loadBalancers: [{
      arn: 'arn:bench:lb', name: 'bench', type: 'application', dnsName: 'bench-1.elb.localhost', address: '127.78.200.1', idleTimeoutSeconds: 60,
      listeners: [{ arn: 'arn:bench:listener', port: 8080, protocol: 'HTTP', certificates: [], rules: [
        { arn: 'arn:bench:rule/1', priority: 1, conditions: [{ field: 'path-pattern', values: ['/admin/*'] }], action: { type: 'fixed-response', statusCode: '403' } },
        { arn: 'arn:bench:rule/default', priority: 'default', conditions: [], action: { type: 'forward', targetGroups: [{ arn: group.arn, weight: 1 }] } },
      ] }],
    }],
    targetGroups: [group],
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function targetOf(url: string): Promise<string> {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.headers.get('x-target') ?? '';
}

async function main(): Promise<number> {
  const startedAt = new Date().toISOString();
  const loadBefore = os.loadavg();
  const dir = await mkdtemp(join(os.tmpdir(), 'minato-lb-bench-'));
  const started: BenchHaproxy[] = [];
  let plane: HaproxyDataPlane | undefined;
  const problems: string[] = [];
  try {
    started.push(await startHaproxy(dir, 'targets', targetsConfig(targets)));
    started.push(await startHaproxy(dir, 'minimal', minimalConfig('127.78.200.2:8080', serving)));
    plane = await HaproxyDataPlane.open({ dataDir: join(dir, 'data'), hostsFile: join(dir, 'hosts') });
    const healthy = new Map<string, number>();
    plane.onHealthChange((_arn, h) => {
      if (h.state === 'healthy') healthy.set(h.id, Date.now());
    });
    await plane.apply(lbConfig(serving));
    await waitFor(() => healthy.size === 3, 10_000);
    await plane.idle();

    const saturation: Record<Subject, LoadResult[]> = { direct: [], haproxy: [], minato: [] };
    const proxies = ['haproxy', 'minato'] as const;
    const half: Record<(typeof proxies)[number], Array<LoadResult & { probe: ProbeStats; directProbe: ProbeStats }>> = { haproxy: [], minato: [] };
    const order = Object.keys(subjects) as Subject[];
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of [...order.slice(r % 3), ...order.slice(0, r % 3)]) saturation[s].push(await autocannon(subjects[s], CONNECTIONS, SECONDS));
    }
    const rate = median(saturation.minato.map((x) => x.rps)) / 2;
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of r % 2 ? [...proxies].reverse() : proxies) {
        const [load, [probe, directProbe]] = await Promise.all([
          autocannon(subjects[s], CONNECTIONS, SECONDS, rate),
          probeLatency([subjects[s], subjects.direct], SECONDS - 1),
        ]);
        half[s].push({ ...load, probe: probe!, directProbe: directProbe! });
      }
    }
    for (const s of order) for (const x of saturation[s]) if (x.errors || x.non2xx) problems.push(`${s}: ${x.errors} errors, ${x.non2xx} non-2xx`);
    for (const s of proxies) for (const x of half[s]) if (x.errors || x.non2xx || x.probe.errors) problems.push(`${s} at half: errors`);

    // Time to traffic: a fourth target joins; from its passing check to the first request it serves.
    healthy.delete(targets[3]!.address);
    await plane.apply(lbConfig(targets));
    await waitFor(() => healthy.has(targets[3]!.address), 10_000);
    let first = 0;
    while (first === 0) if ((await targetOf(subjects.minato)) === 't4') first = Date.now();
    const timeToTrafficMs = first - healthy.get(targets[3]!.address)!;

    // Drain: after apply resolves, not one request may reach the drained target.
    await plane.apply(lbConfig(targets, ['t4']));
    let toDrained = 0;
    const afterDrain = 1000;
    for (let i = 0; i < afterDrain; i++) if ((await targetOf(subjects.minato)) === 't4') toDrained += 1;

    type Half = (typeof half)['minato'][number];
    const med = (s: (typeof proxies)[number], pick: (x: Half) => number): number => median(half[s].map(pick));
    const figures = {
      saturationRps: Object.fromEntries(order.map((s) => [s, round(median(saturation[s].map((x) => x.rps)), 0)])),
      halfSaturationRps: round(rate, 0),
      halfSaturation: Object.fromEntries(proxies.map((s) => [s, {
        autocannonP50Ms: med(s, (x) => x.p50), autocannonP99Ms: med(s, (x) => x.p99),
        probeP50Ms: round(med(s, (x) => x.probe.p50), 3), probeP99Ms: round(med(s, (x) => x.probe.p99), 3),
        directProbeP50Ms: round(med(s, (x) => x.directProbe.p50), 3), directProbeP99Ms: round(med(s, (x) => x.directProbe.p99), 3),
      }])),
      addedLatencyMs: Object.fromEntries(proxies.flatMap((s) => [
        [`${s}P50`, round(med(s, (x) => x.probe.p50 - x.directProbe.p50), 3)],
        [`${s}P99`, round(med(s, (x) => x.probe.p99 - x.directProbe.p99), 3)],
      ])) as Record<'haproxyP50' | 'haproxyP99' | 'minatoP50' | 'minatoP99', number>,
      timeToTrafficMs,
      requestsToDrainedTarget: toDrained,
      requestsAfterDrain: afterDrain,
    };
    const sat = figures.saturationRps as Record<Subject, number>;
    const targetsMet = [
      target('throughput vs minimal haproxy', round(sat.minato / sat.haproxy, 2), '×', '>=', 0.8),
      target('added p50 at half saturation', figures.addedLatencyMs.minatoP50, 'ms', '<=', 1),
      target('added p99 at half saturation', figures.addedLatencyMs.minatoP99, 'ms', '<=', 3),
      target('time to traffic after passing check', timeToTrafficMs, 'ms', '<=', 1000),
      target('requests to a drained target', toDrained, 'requests', '<=', 0),
    ];
    const result = {
      name: 'load-balancer', startedAt, machine: machineInfo(),
      loadAverage: { before: loadBefore.map((x) => round(x, 2)), after: os.loadavg().map((x) => round(x, 2)) },
      method: { rounds: ROUNDS, secondsPerRun: SECONDS, connections: CONNECTIONS, loadGenerator: 'autocannon (own process)', targets: 'one HAProxy, 3 addresses, http-request return 200' },
      figures, raw: { saturation, half }, targets: targetsMet, valid: problems.length === 0, problems,
    };
    const file = await writeResults(result);
    console.log(JSON.stringify(figures, null, 2));
    for (const line of targetLines(targetsMet)) console.log(line);
    console.log(`load average before ${result.loadAverage.before.join(' ')}, after ${result.loadAverage.after.join(' ')}`);
    if (problems.length) console.log(`INVALID: ${problems.join('; ')}`);
    console.log(`results: ${relative(process.cwd(), file)} (and load-balancer-latest.json)`);
    return problems.length ? 1 : 0;
  } finally {
    await plane?.close();
    for (const h of started) await h.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
