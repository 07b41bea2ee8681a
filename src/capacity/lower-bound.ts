/**
 * The fractional (LP-relaxation) lower bound on the hourly cost of holding a set of tasks:
 *
 *   minimise  sum_o price_o * x_o   subject to   sum_o cap_{o,r} * x_o >= demand_r  (r = cpu, memory, gpus),  x >= 0
 *
 * where x_o is a fractional count of offering o and demand is the tasks' total. Any real plan whose
 * nodes are all compatible with all the tasks is a feasible x, so this is a valid lower bound; it
 * is exact because it is solved by enumerating every vertex of the feasible region: an optimal
 * vertex uses at most |r| offerings with as many demand constraints tight, so we solve every k x k
 * system (k <= number of resources with demand) over the Pareto-optimal offerings.
 */
import type { Offering, Resources } from './types.js';

const KEYS = ['cpu', 'memoryMiB', 'gpus'] as const;
type Key = (typeof KEYS)[number];

/** The optimum: its cost, the offerings it mixes, and the resource prices (LP duals). */
export interface FractionalBound {
  readonly usdPerHour: number;
  readonly mix: readonly { readonly offering: Offering; readonly count: number }[];
  /** USD per hour per unit of each resource; value of a task = sum of demand x dual. */
  readonly duals: Readonly<Record<Key, number>>;
}

/** Drops offerings another offering beats on every resource and on price (keeps one of equals). */
export function paretoOfferings(offerings: readonly Offering[], keys: readonly Key[] = KEYS): Offering[] {
  const sorted = [...offerings].sort((a, b) => a.price.usdPerHour - b.price.usdPerHour || a.type.name.localeCompare(b.type.name) || a.zone.localeCompare(b.zone));
  const kept: Offering[] = [];
  for (const o of sorted) {
    const dominated = kept.some((k) => keys.every((r) => k.allocatable[r] >= o.allocatable[r]));
    if (!dominated) kept.push(o);
  }
  return kept;
}

/** Solves the LP exactly; undefined when no mix of the offerings can hold the demand. */
export function fractionalBound(demand: Resources, offerings: readonly Offering[]): FractionalBound | undefined {
  const keys = KEYS.filter((k) => demand[k] > 0);
  const zeroDuals = { cpu: 0, memoryMiB: 0, gpus: 0 };
  if (keys.length === 0) return { usdPerHour: 0, mix: [], duals: zeroDuals };
  const cand = paretoOfferings(offerings, keys).filter((o) => keys.some((k) => o.allocatable[k] > 0));
  let best: FractionalBound | undefined;
  const consider = (chosen: Offering[], tight: Key[]) => {
    const n = chosen.length;
    // Solve A x = d for the tight rows: A[i][j] = cap of chosen[j] on tight[i].
    const x = solve(tight.map((k) => chosen.map((o) => o.allocatable[k])), tight.map((k) => demand[k]));
    if (!x || x.some((v) => v < -1e-12)) return;
    for (const k of keys) {
      const have = chosen.reduce((s, o, j) => s + o.allocatable[k] * x[j]!, 0);
      if (have < demand[k] * (1 - 1e-9)) return;
    }
    const usd = chosen.reduce((s, o, j) => s + o.price.usdPerHour * x[j]!, 0);
    if (best && usd >= best.usdPerHour) return;
    // Duals: y over the tight rows solves y^T A = prices of the chosen offerings.
    const y = solve(chosen.map((_, j) => tight.map((k) => chosen[j]!.allocatable[k])), chosen.map((o) => o.price.usdPerHour)) ?? new Array<number>(n).fill(0);
    const duals = { ...zeroDuals };
    tight.forEach((k, i) => (duals[k] = Math.max(0, y[i]!)));
    best = { usdPerHour: usd, mix: chosen.map((offering, j) => ({ offering, count: x[j]! })).filter((m) => m.count > 0), duals };
  };
  for (const o of cand) {
    // One offering: the binding resource is tight.
    const binding = keys.reduce((a, k) => (demand[k] / o.allocatable[k] > demand[a] / o.allocatable[a] ? k : a), keys[0]!);
    if (o.allocatable[binding] > 0) consider([o], [binding]);
  }
  if (keys.length >= 2) {
    for (let i = 0; i < cand.length; i++) {
      for (let j = i + 1; j < cand.length; j++) {
        for (const tight of pairs(keys)) consider([cand[i]!, cand[j]!], tight);
      }
    }
  }
  if (keys.length === 3) {
    for (let i = 0; i < cand.length; i++) for (let j = i + 1; j < cand.length; j++) for (let l = j + 1; l < cand.length; l++) consider([cand[i]!, cand[j]!, cand[l]!], [...keys]);
  }
  return best;
}

function pairs(keys: readonly Key[]): Key[][] {
  const out: Key[][] = [];
  for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) out.push([keys[i]!, keys[j]!]);
  return out;
}

/** Gaussian elimination with partial pivoting; undefined for a singular system. */
function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12) return undefined;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const row = m[r]!;
      const pivot = m[c]!;
      const f = row[c]! / pivot[c]!;
      for (let k = c; k <= n; k++) row[k] = row[k]! - f * pivot[k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** Sums task demands. */
export function totalDemand(demands: Iterable<Resources>): Resources {
  let cpu = 0;
  let memoryMiB = 0;
  let gpus = 0;
  for (const d of demands) {
    cpu += d.cpu;
    memoryMiB += d.memoryMiB;
    gpus += d.gpus;
  }
  return { cpu, memoryMiB, gpus };
}

/** A shape (demand) and how many tasks have it. */
export interface ShapeCount {
  readonly demand: Resources;
  readonly count: number;
}

/** A certified lower bound and the value it gives each shape. */
export interface SplitBound {
  readonly usdPerHour: number;
  /** USD per hour each task of the shape is worth; sums (times counts) to the bound. */
  readonly values: readonly number[];
}

/**
 * A stronger lower bound: the LP relaxation in which each task's CPU and memory come from one
 * instance type that can hold it (tasks may still be split across types and nodes fractionally),
 *
 *   min sum_t p_t x_t  s.t.  sum_s y_st d_sr <= a_tr x_t (each t, r),  sum_t y_st = n_s,  y_st = 0 unless s fits on t.
 *
 * Rather than solving it, we build a feasible solution of its dual, which by weak duality bounds
 * it (and so every real plan) from below: each type t gets resource prices w_t on its budget line
 * (a_t . w_t = p_t, parametrised by lambda_t in [0, 1] between all-CPU and all-memory), every shape
 * is worth the least any type that fits it values it at, u_s = min_t w_t . d_s, and the bound is
 * sum_s n_s u_s. Coordinate ascent on the lambdas (the objective is concave in each) tightens it;
 * any lambdas give a valid bound. GPUs get price 0, which keeps the dual feasible. `thorough`
 * tries more starting points (for benchmarks, where the bound is the yardstick).
 */
export function taskSplitBound(shapes: readonly ShapeCount[], offerings: readonly Offering[], rounds = 10, thorough = false): SplitBound | undefined {
  const types = paretoOfferings(offerings, ['cpu', 'memoryMiB', 'gpus']).filter((o) => o.allocatable.cpu > 0 && o.allocatable.memoryMiB > 0);
  if (shapes.length === 0) return { usdPerHour: 0, values: [] };
  const fits = types.map((o) => shapes.map((s) => s.demand.cpu <= o.allocatable.cpu && s.demand.memoryMiB <= o.allocatable.memoryMiB && s.demand.gpus <= o.allocatable.gpus));
  if (shapes.some((_, s) => !fits.some((f) => f[s]))) return undefined;
  // v[t][s](lambda) = p_t * (lambda * c_s / C_t + (1 - lambda) * m_s / M_t).
  // Start from the aggregate LP's resource prices y, scaled onto each type's budget line
  // (w_t = y * p_t / (y . a_t) >= y), so the bound starts at least as high as the aggregate one.
  const agg = fractionalBound(
    shapes.reduce((acc, s) => ({ cpu: acc.cpu + s.demand.cpu * s.count, memoryMiB: acc.memoryMiB + s.demand.memoryMiB * s.count, gpus: 0 }), { cpu: 0, memoryMiB: 0, gpus: 0 }),
    types,
  );
  const y = agg?.duals ?? { cpu: 1, memoryMiB: 0, gpus: 0 };
  const fromAggregate = types.map((o) => {
    const c = y.cpu * o.allocatable.cpu;
    const m = y.memoryMiB * o.allocatable.memoryMiB;
    return c + m > 0 ? c / (c + m) : 0.5;
  });
  // Coordinate ascent on a non-smooth function can stall, so it runs from several starts and the
  // best (every one of them valid) is kept.
  let best: SplitBound | undefined;
  const starts = [fromAggregate, types.map(() => 0.5), ...(thorough ? [0.1, 0.25, 0.75, 0.9].map((l) => types.map(() => l)) : [])];
  for (const start of starts) {
    const b = ascend(shapes, types, fits, start, rounds);
    if (!best || b.usdPerHour > best.usdPerHour) best = b;
  }
  return best;
}

function ascend(shapes: readonly ShapeCount[], types: readonly Offering[], fits: readonly (readonly boolean[])[], start: readonly number[], rounds: number): SplitBound {
  const S = shapes.length;
  const T = types.length;
  const cpuPart = types.map((o) => shapes.map((s) => (o.price.usdPerHour * s.demand.cpu) / o.allocatable.cpu));
  const memPart = types.map((o) => shapes.map((s) => (o.price.usdPerHour * s.demand.memoryMiB) / o.allocatable.memoryMiB));
  const lambda = [...start];
  const val = (t: number, s: number, l: number) => l * cpuPart[t]![s]! + (1 - l) * memPart[t]![s]!;
  // Per shape: the least and second-least value over fitting types, and which type gives the least.
  const lows = () => {
    const min = new Array<number>(S).fill(Infinity);
    const second = new Array<number>(S).fill(Infinity);
    const arg = new Array<number>(S).fill(-1);
    for (let t = 0; t < T; t++) {
      const f = fits[t]!;
      const l = lambda[t]!;
      for (let s = 0; s < S; s++) {
        if (!f[s]) continue;
        const v = val(t, s, l);
        if (v < min[s]!) [second[s], min[s], arg[s]] = [min[s]!, v, t];
        else if (v < second[s]!) second[s] = v;
      }
    }
    return { min, second, arg };
  };
  const total = (min: readonly number[]) => min.reduce((sum, u, s) => sum + shapes[s]!.count * u, 0);
  const objective = (t: number, l: number, others: readonly number[]) => {
    let sum = 0;
    const f = fits[t]!;
    for (let s = 0; s < S; s++) sum += shapes[s]!.count * (f[s] ? Math.min(val(t, s, l), others[s]!) : others[s]!);
    return sum;
  };
  let best = { usd: -Infinity, lambda: [...lambda] };
  for (let round = 0; round < rounds; round++) {
    // One sweep: each type's lambda is tuned against the others' values at the start of the sweep.
    const { min, second, arg } = lows();
    const usd = total(min);
    if (usd <= best.usd * (1 + 1e-9)) break;
    best = { usd, lambda: [...lambda] };
    for (let t = 0; t < T; t++) {
      const others = min.map((m, s) => (arg[s] === t ? second[s]! : m));
      // Ternary search on a concave function of lambda_t.
      let lo = 0;
      let hi = 1;
      for (let i = 0; i < 30; i++) {
        const a = lo + (hi - lo) / 3;
        const b = hi - (hi - lo) / 3;
        if (objective(t, a, others) < objective(t, b, others)) lo = a;
        else hi = b;
      }
      const cand = (lo + hi) / 2;
      if (objective(t, cand, others) > objective(t, lambda[t]!, others)) lambda[t] = cand;
    }
  }
  const after = lows().min;
  if (total(after) > best.usd) best = { usd: total(after), lambda: [...lambda] };
  lambda.splice(0, T, ...best.lambda);
  const values = lows().min;
  return { usdPerHour: values.reduce((sum, u, s) => sum + shapes[s]!.count * u, 0), values };
}
