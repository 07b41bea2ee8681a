/**
 * Benchmark of the capacity planner (`node --import tsx bench/capacity.ts`): for several workloads
 * of 10,000 pending tasks over the full shipped catalog (us-east-1, every instance type with a
 * price, every zone), it times the provisioner, checks that the same input gives the same plan,
 * and compares the plan's hourly cost with the LP lower bound and with node-group baselines.
 * Writes bench/results/capacity-<timestamp>.json. Exits 1 when a plan is invalid or not
 * deterministic; missed targets (2 s, 5 % of the bound) are reported, not fatal.
 *
 * The bound: the fractional relaxation min sum(price x) s.t. sum(allocatable x) >= total demand
 * per resource, solved exactly by vertex enumeration (src/capacity/lower-bound.ts). It is a valid
 * lower bound when every task may use every offering in the set, which holds for each workload
 * below; for the split workload (arm64-only and x86_64-only tasks) nodes are of one architecture,
 * so the sum of the two per-architecture bounds is valid.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/cli/cost.js';
import { fractionalBound, taskSplitBound, totalDemand, type ShapeCount } from '../src/capacity/lower-bound.js';
import { offeringsOf } from '../src/capacity/offerings.js';
import { planNodeGroups, type NodeGroup } from '../src/capacity/baseline.js';
import { planMixed, provision } from '../src/capacity/provisioner.js';
import { Arch, CapacityType, type Offering, type PendingTask, type Plan } from '../src/capacity/types.js';
import { seededRandom } from '../src/lib/seeded-random.js';
import { target, targetLines } from './lib/task-report.js';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');
const REGION = 'us-east-1';
const TASKS = 10_000;

/** Every run plans the same workloads. */
const rng = seededRandom;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

interface Workload {
  readonly name: string;
  readonly description: string;
  readonly tasks: PendingTask[];
  readonly capacityTypes: CapacityType[];
  /** Task subsets whose bounds add up to a valid bound (disjoint sets of usable nodes). */
  readonly boundParts: (o: Offering) => string | undefined;
  readonly groups: NodeGroup[];
}

const ON_DEMAND_GROUPS: NodeGroup[] = [
  { name: 'general-x86', instanceType: 'm7i.2xlarge', capacityType: CapacityType.OnDemand },
  { name: 'general-arm', instanceType: 'm7g.2xlarge', capacityType: CapacityType.OnDemand },
];

function workloads(): Workload[] {
  const out: Workload[] = [];
  const make = (name: string, description: string, seed: number, shape: (r: () => number, i: number) => Omit<PendingTask, 'id'>, capacityTypes: CapacityType[] = [CapacityType.OnDemand], groups = ON_DEMAND_GROUPS, boundParts: Workload['boundParts'] = () => 'all') => {
    const r = rng(seed);
    out.push({ name, description, tasks: Array.from({ length: TASKS }, (_, i) => ({ id: `t${String(i).padStart(5, '0')}`, ...shape(r, i), capacityTypes })), capacityTypes, boundParts, groups });
  };
  const fargateLike = [[256, 512], [256, 1024], [512, 1024], [512, 2048], [1024, 2048], [1024, 4096], [2048, 4096], [2048, 8192], [4096, 8192], [4096, 16384]] as const;
  make('services', 'Fargate-style sizes, 0.25-4 vCPU, any architecture', 1, (r) => {
    const [cpu, memoryMiB] = pick(r, fargateLike);
    return { demand: { cpu, memoryMiB, gpus: 0 } };
  });
  make('grid', 'random CPU (256-4096 step 256) and memory (512 MiB-16 GiB step 512), any architecture', 2, (r) => ({
    demand: { cpu: 256 * (1 + Math.floor(r() * 16)), memoryMiB: 512 * (1 + Math.floor(r() * 32)), gpus: 0 },
  }));
  make('memory-heavy', 'caches: 0.5-2 vCPU with 8 GiB per vCPU', 3, (r) => {
    const cpu = pick(r, [512, 1024, 2048]);
    return { demand: { cpu, memoryMiB: cpu * 8, gpus: 0 } };
  });
  make('cpu-heavy', 'batch: 2-8 vCPU with 1 GiB per vCPU', 4, (r) => {
    const cpu = pick(r, [2048, 4096, 8192]);
    return { demand: { cpu, memoryMiB: cpu, gpus: 0 } };
  });
  make(
    'split-arch',
    'half arm64-only, half x86_64-only services',
    5,
    (r, i) => {
      const [cpu, memoryMiB] = pick(r, fargateLike);
      return { demand: { cpu, memoryMiB, gpus: 0 }, arch: i % 2 ? Arch.ARM64 : Arch.X86_64 };
    },
    [CapacityType.OnDemand],
    ON_DEMAND_GROUPS,
    (o) => o.type.arch,
  );
  make(
    'spot-services',
    'Fargate-style sizes on spot or on demand, any architecture (spot prices per zone)',
    6,
    (r) => {
      const [cpu, memoryMiB] = pick(r, fargateLike);
      return { demand: { cpu, memoryMiB, gpus: 0 } };
    },
    [CapacityType.OnDemand, CapacityType.Spot],
    [
      { name: 'spot-x86', instanceType: 'm7i.2xlarge', capacityType: CapacityType.Spot },
      { name: 'spot-arm', instanceType: 'm7g.2xlarge', capacityType: CapacityType.Spot },
    ],
  );
  return out;
}

/** Checks a plan: every task placed once, every node within its allocatable capacity. */
function validate(plan: Plan, tasks: readonly PendingTask[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const n of plan.nodes) {
    const used = totalDemand(n.tasks.map((t) => t.demand));
    const a = n.offering.allocatable;
    if (used.cpu > a.cpu || used.memoryMiB > a.memoryMiB || used.gpus > a.gpus) problems.push(`node ${n.id} over capacity`);
    for (const t of n.tasks) {
      if (seen.has(t.id)) problems.push(`task ${t.id} placed twice`);
      seen.add(t.id);
      if (t.arch && t.arch !== n.offering.type.arch) problems.push(`task ${t.id} on the wrong architecture`);
    }
  }
  if (seen.size + plan.unschedulable.length !== tasks.length) problems.push(`${tasks.length - seen.size} task(s) missing`);
  return problems;
}

function shapeCounts(tasks: readonly PendingTask[]): ShapeCount[] {
  const m = new Map<string, ShapeCount>();
  for (const t of tasks) {
    const k = `${t.demand.cpu}/${t.demand.memoryMiB}/${t.demand.gpus}`;
    const s = m.get(k);
    m.set(k, { demand: t.demand, count: (s?.count ?? 0) + 1 });
  }
  return [...m.values()];
}

const fingerprint = (p: Plan) => JSON.stringify([p.placements.map((x) => [x.taskId, x.nodeId]), p.nodes.map((n) => [n.id, n.offering.type.name, n.offering.zone, n.offering.capacityType])]);
const round = (n: number, d = 4) => Number(n.toFixed(d));

async function main(): Promise<number> {
  const startedAt = new Date();
  const catalog = loadCatalog();
  const book = catalog.regions.get(REGION)!;
  const results = [];
  const problems: string[] = [];
  for (const w of workloads()) {
    const offerings = offeringsOf(book, catalog.types, { capacityTypes: w.capacityTypes });
    const input = { tasks: w.tasks, offerings, baselineGroups: w.groups };
    const t0 = performance.now();
    const plan = provision(input);
    const ms = performance.now() - t0;
    const again = provision(input);
    const deterministic = fingerprint(plan) === fingerprint(again);
    const parts = new Map<string, Offering[]>();
    for (const o of offerings) {
      const k = w.boundParts(o);
      if (k) (parts.get(k) ?? parts.set(k, []).get(k)!).push(o);
    }
    let aggregateBound = 0;
    let splitBound = 0;
    for (const [k, offs] of parts) {
      const mine = w.tasks.filter((t) => k === 'all' || t.arch === k);
      aggregateBound += fractionalBound(totalDemand(mine.map((t) => t.demand)), offs)?.usdPerHour ?? NaN;
      splitBound += taskSplitBound(shapeCounts(mine), offs, 40, true)?.usdPerHour ?? NaN;
    }
    const bound = Math.max(aggregateBound, splitBound);
    const mixed = planMixed(input);
    const groups = planNodeGroups(input, w.groups);
    const bestSingle = planNodeGroups(input);
    const invalid = validate(plan, w.tasks);
    if (invalid.length) problems.push(`${w.name}: ${invalid.slice(0, 3).join('; ')}`);
    if (!deterministic) problems.push(`${w.name}: two runs gave different plans`);
    const types = new Map<string, number>();
    for (const n of plan.nodes) types.set(n.offering.type.name, (types.get(n.offering.type.name) ?? 0) + 1);
    results.push({
      workload: w.name,
      description: w.description,
      tasks: w.tasks.length,
      offerings: offerings.length,
      instanceTypes: new Set(offerings.map((o) => o.type.name)).size,
      planMs: round(ms, 1),
      deterministic,
      valid: invalid.length === 0,
      usdPerHour: { plan: round(plan.newUsdPerHour), lowerBound: round(bound), aggregateLpBound: round(aggregateBound), taskSplitLpBound: round(splitBound), mixedPacking: round(mixed.newUsdPerHour), nodeGroups: round(groups.newUsdPerHour), bestSingleTypePerClass: round(bestSingle.newUsdPerHour) },
      gapToBoundPercent: round((100 * (plan.newUsdPerHour - bound)) / bound, 2),
      savingVsNodeGroupsPercent: round((100 * (groups.newUsdPerHour - plan.newUsdPerHour)) / groups.newUsdPerHour, 2),
      nodes: plan.nodes.length,
      nodeTypes: Object.fromEntries([...types].sort((a, b) => b[1] - a[1]).slice(0, 6)),
      unschedulable: plan.unschedulable.length,
    });
  }
  const targets = results.flatMap((r) => [
    target(`${r.workload}: plan time`, r.planMs, 'ms', '<=', 2000),
    target(`${r.workload}: gap to LP bound`, r.gapToBoundPercent, '%', '<=', 5),
  ]);
  const result = {
    name: 'capacity',
    startedAt: startedAt.toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
    region: REGION,
    bound: 'fractional LP relaxation over aggregate demand (cpu units, MiB, GPUs), solved exactly by vertex enumeration; per-architecture sum for split-arch',
    valid: problems.length === 0,
    problems,
    results,
    targets,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `capacity-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  for (const r of results) {
    console.log(
      `${r.workload.padEnd(14)} ${String(r.planMs).padStart(7)} ms  plan $${r.usdPerHour.plan}/h  bound $${r.usdPerHour.lowerBound}/h  gap ${r.gapToBoundPercent}%  ` +
        `node groups $${r.usdPerHour.nodeGroups}/h (plan saves ${r.savingVsNodeGroupsPercent}%)  best single type $${r.usdPerHour.bestSingleTypePerClass}/h  ${r.nodes} nodes  ${r.deterministic ? 'deterministic' : 'NOT DETERMINISTIC'}`,
    );
  }
  for (const line of targetLines(targets)) console.log(line);
  console.log(problems.length ? `INVALID: ${problems.join('; ')}` : 'every plan valid and deterministic');
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
