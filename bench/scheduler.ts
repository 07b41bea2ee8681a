/**
 * Benchmark of the placement scheduler (`node --import tsx bench/scheduler.ts`): 10,000 tasks on
 * 1,000 container instances over 3 Availability Zones, mixed instance types and sizes, partly used
 * already, with spread(attribute:ecs.availability-zone) then binpack(memory) and the constraint
 * memberOf(attribute:ecs.instance-type =~ t3.*). Times the median of several runs (after a warm-up),
 * checks every placement (no over-commit, no port clash, memberOf holds, AZ spread within one task)
 * and that the same random source gives the same result. Two variants are timed for comparison.
 * Writes bench/results/scheduler-<timestamp>.json. Exits 1 when a result is invalid; a missed
 * target (1,000 ms) is reported, not fatal.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { place } from '../src/placement/place.js';
import { compileFilter } from '../src/placement/query-language.js';
import { instance, seededRandom } from '../src/placement/testing.js';
import type { InstanceSnapshot, PlacementRequest, PlacementResult } from '../src/placement/types.js';
import { target, targetLines } from './lib/task-report.js';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');
const INSTANCES = 1_000;
const TASKS = 10_000;
const RUNS = 7;
const TARGET_MS = 1_000;
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'] as const;
/** [type, vCPU, GiB, weight]: t3 sizes are two thirds of the fleet. */
const TYPES = [
  ['t3.medium', 2, 4, 3],
  ['t3.large', 2, 8, 3],
  ['t3.xlarge', 4, 16, 2],
  ['t3.2xlarge', 8, 32, 2],
  ['m5.large', 2, 8, 2],
  ['m5.2xlarge', 8, 32, 1],
  ['c5.4xlarge', 16, 32, 2],
] as const;

function fleet(): InstanceSnapshot[] {
  const r = seededRandom(42);
  const bag = TYPES.flatMap((t) => Array<(typeof TYPES)[number]>(t[3]).fill(t));
  return Array.from({ length: INSTANCES }, (_, n) => {
    const [type, vcpu, gib] = bag[Math.floor(r() * bag.length)]!;
    const used = Math.floor(r() * 4);
    const id = String(n).padStart(4, '0');
    return instance(id, {
      attributes: { 'ecs.availability-zone': ZONES[n % 3]!, 'ecs.instance-type': type, 'ecs.os-type': 'linux' },
      // Memory as the agent reports it: a little under the type's, some already reserved.
      remaining: { cpu: vcpu * 1024 - used * 256, memory: gib * 1024 - 256 - used * 512 },
      runningTasksCount: used,
      taskGroups: Array<string>(used).fill('service:other'),
      usedPorts: used ? [22, 51678] : [22],
    });
  });
}

const REQUEST: PlacementRequest = {
  count: TASKS,
  cpu: 128,
  memory: 256,
  hostPorts: [],
  group: 'service:web',
  constraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' }],
  strategy: [
    { type: 'spread', field: 'attribute:ecs.availability-zone' },
    { type: 'binpack', field: 'memory' },
  ],
};

const VARIANTS: { name: string; request: PlacementRequest }[] = [
  { name: 'spread(az)+binpack(memory)+memberOf(t3.*)', request: REQUEST },
  { name: 'spread(az)+spread(instanceId), no constraint', request: { ...REQUEST, constraints: [], strategy: [REQUEST.strategy[0]!, { type: 'spread', field: 'instanceId' }] } },
  { name: 'random, no constraint', request: { ...REQUEST, constraints: [], strategy: [{ type: 'random' }] } },
];

/** Replays a result against the snapshot: resources, ports, memberOf, and the AZ spread. */
function validate(instances: readonly InstanceSnapshot[], req: PlacementRequest, result: PlacementResult): string[] {
  const problems: string[] = [];
  const byArn = new Map(instances.map((i) => [i.containerInstanceArn, { ...i, remaining: { ...i.remaining } }]));
  const member = req.constraints.map((c) => compileFilter(c.expression!));
  const perZone = new Map<string, number>();
  for (const arn of result.placements) {
    const i = byArn.get(arn);
    if (!i) {
      problems.push(`unknown instance ${arn}`);
      continue;
    }
    i.remaining.cpu -= req.cpu;
    i.remaining.memory -= req.memory;
    if (i.remaining.cpu < 0 || i.remaining.memory < 0) problems.push(`${arn} over-committed`);
    if (!member.every((f) => f(i))) problems.push(`${arn} breaks memberOf`);
    const zone = i.attributes['ecs.availability-zone']!;
    perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
  }
  if (result.placements.length + result.failures.length !== req.count) problems.push('placed + failed != count');
  const zoneCounts = [...perZone.values()];
  const spreadsZones = req.strategy[0]?.type === 'spread' && req.strategy[0].field === 'attribute:ecs.availability-zone';
  if (spreadsZones && result.failures.length === 0 && Math.max(...zoneCounts) - Math.min(...zoneCounts) > 1) problems.push(`zones unbalanced: ${zoneCounts.join('/')}`);
  return [...new Set(problems)].slice(0, 5);
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const instances = fleet();
  const problems: string[] = [];
  const results = [];
  for (const v of VARIANTS) {
    place(instances, v.request, seededRandom(1)); // warm-up: JIT and caches
    const times: number[] = [];
    let last: PlacementResult | undefined;
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      last = place(instances, v.request, seededRandom(7));
      times.push(performance.now() - t0);
    }
    const again = place(instances, v.request, seededRandom(7));
    const deterministic = JSON.stringify(again) === JSON.stringify(last);
    const invalid = validate(instances, v.request, last!);
    if (invalid.length) problems.push(`${v.name}: ${invalid.join('; ')}`);
    if (!deterministic) problems.push(`${v.name}: two runs with the same random source differ`);
    const ms = median(times);
    results.push({
      variant: v.name,
      instances: instances.length,
      tasks: v.request.count,
      placed: last!.placements.length,
      failed: last!.failures.length,
      instancesUsed: new Set(last!.placements).size,
      medianMs: Number(ms.toFixed(1)),
      runsMs: times.map((t) => Number(t.toFixed(1))),
      tasksPerSecond: Math.round(v.request.count / (ms / 1000)),
      deterministic,
      valid: invalid.length === 0,
    });
  }
  const main = results[0]!;
  const targets = [target(`${main.variant}: median placement time`, main.medianMs, 'ms', '<=', TARGET_MS)];
  const result = {
    name: 'scheduler',
    startedAt: startedAt.toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
    runs: RUNS,
    valid: problems.length === 0,
    problems,
    results,
    targets,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `scheduler-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  for (const r of results) {
    console.log(`${r.variant.padEnd(46)} ${String(r.medianMs).padStart(7)} ms  ${r.tasksPerSecond} tasks/s  placed ${r.placed} failed ${r.failed} on ${r.instancesUsed} instances  ${r.deterministic ? 'deterministic' : 'NOT DETERMINISTIC'}`);
  }
  for (const line of targetLines(targets)) console.log(line);
  console.log(problems.length ? `INVALID: ${problems.join('; ')}` : 'every placement valid and deterministic');
  console.log(`results: ${relative(process.cwd(), file)}`);
  return problems.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
