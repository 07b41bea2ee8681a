import { invalidParameter } from '../lib/errors.js';

/**
 * CloudWatch metric math, pure: the arithmetic operators, SUM/AVG/MIN/MAX and FILL over the time
 * series of other queries, named by their ids. A time series is a list of (timestamp, value) in
 * time order; arithmetic between two series pairs the values of equal timestamps and leaves out a
 * timestamp either lacks, as CloudWatch does. Non-finite results (a division by zero) are left out.
 */

/** A time series: timestamps (epoch ms, ascending) and their values; `grid` is where it was read. */
export interface Series {
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
  /** The query grid: every bucket start from `start` by `periodMs` until `end` (for FILL). */
  readonly grid: { readonly start: number; readonly end: number; readonly periodMs: number };
}

/** What an expression evaluates to. */
export type MathValue = { kind: 'scalar'; value: number } | { kind: 'series'; series: Series } | { kind: 'array'; items: Series[] };

/** A parsed expression. */
export type Expr =
  | { op: 'num'; value: number }
  | { op: 'id'; name: string }
  | { op: 'word'; name: string }
  | { op: 'neg'; arg: Expr }
  | { op: 'bin'; sign: '+' | '-' | '*' | '/'; left: Expr; right: Expr }
  | { op: 'call'; name: string; args: Expr[] }
  | { op: 'list'; items: Expr[] };

const FUNCTIONS = new Set(['SUM', 'AVG', 'MIN', 'MAX', 'FILL']);

const fail = (expression: string, detail: string) => invalidParameter(`Error in expression ${expression}: ${detail}`);

/** Parses an expression; `id` names the query in messages. Throws InvalidArgument on bad syntax. */
export function parseExpression(text: string, id: string): Expr {
  const tokens = text.match(/\s*([A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+|[-+*/(),[\]]|\S)/g) ?? [];
  const toks = tokens.map((t) => t.trim());
  let i = 0;
  const peek = () => toks[i];
  const expect = (t: string) => {
    if (toks[i] !== t) throw fail(id, `expected '${t}' but found ${toks[i] === undefined ? 'the end' : `'${toks[i]}'`}.`);
    i++;
  };
  const expr = (): Expr => {
    let left = term();
    while (peek() === '+' || peek() === '-') {
      const sign = toks[i++] as '+' | '-';
      left = { op: 'bin', sign, left, right: term() };
    }
    return left;
  };
  const term = (): Expr => {
    let left = unary();
    while (peek() === '*' || peek() === '/') {
      const sign = toks[i++] as '*' | '/';
      left = { op: 'bin', sign, left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    if (peek() === '-') {
      i++;
      return { op: 'neg', arg: unary() };
    }
    return primary();
  };
  const list = (close: string): Expr[] => {
    const items: Expr[] = [];
    if (peek() !== close) {
      items.push(expr());
      while (peek() === ',') {
        i++;
        items.push(expr());
      }
    }
    expect(close);
    return items;
  };
  const primary = (): Expr => {
    const t = toks[i++];
    if (t === undefined) throw fail(id, 'unexpected end of expression.');
    if (t === '(') {
      const inner = expr();
      expect(')');
      return inner;
    }
    if (t === '[') return { op: 'list', items: list(']') };
    if (/^(\d|\.\d)/.test(t)) return { op: 'num', value: Number(t) };
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === '(') {
        i++;
        if (!FUNCTIONS.has(t)) throw fail(id, `the function ${t} is not supported by this endpoint (supported: ${[...FUNCTIONS].join(', ')}).`);
        return { op: 'call', name: t, args: list(')') };
      }
      // Upper-case words are keywords (FILL's REPEAT, LINEAR); ids start with a lower-case letter.
      return /^[a-z]/.test(t) ? { op: 'id', name: t } : { op: 'word', name: t };
    }
    throw fail(id, `unexpected '${t}'.`);
  };
  const tree = expr();
  if (i < toks.length) throw fail(id, `unexpected '${toks[i]}'.`);
  return tree;
}

/** The ids an expression refers to. */
export function referencedIds(expr: Expr): string[] {
  switch (expr.op) {
    case 'id':
      return [expr.name];
    case 'neg':
      return referencedIds(expr.arg);
    case 'bin':
      return [...referencedIds(expr.left), ...referencedIds(expr.right)];
    case 'call':
    case 'list':
      return (expr.op === 'call' ? expr.args : expr.items).flatMap(referencedIds);
    default:
      return [];
  }
}

/** Evaluates an expression; `resolve` gives the value of a referenced id. */
export function evaluate(expr: Expr, id: string, resolve: (name: string) => MathValue): MathValue {
  const ev = (e: Expr): MathValue => evaluate(e, id, resolve);
  switch (expr.op) {
    case 'num':
      return { kind: 'scalar', value: expr.value };
    case 'id':
      return resolve(expr.name);
    case 'word':
      throw fail(id, `unexpected keyword ${expr.name}.`);
    case 'neg':
      return arithmetic('*', { kind: 'scalar', value: -1 }, ev(expr.arg), id);
    case 'bin':
      return arithmetic(expr.sign, ev(expr.left), ev(expr.right), id);
    case 'list': {
      const items = expr.items.map(ev).flatMap((v) => {
        if (v.kind === 'scalar') throw fail(id, 'an array may only hold time series.');
        return v.kind === 'series' ? [v.series] : v.items;
      });
      return { kind: 'array', items };
    }
    case 'call':
      return call(expr.name, expr.args, id, ev);
  }
}

function call(name: string, args: Expr[], id: string, ev: (e: Expr) => MathValue): MathValue {
  if (name === 'FILL') {
    if (args.length !== 2) throw fail(id, 'FILL takes two arguments: a time series and a value, REPEAT or LINEAR.');
    const target = ev(args[0]!);
    const how = args[1]!;
    const fill = (s: Series) => fillSeries(s, how.op === 'word' ? how.name : ev(how), id);
    if (target.kind === 'series') return { kind: 'series', series: fill(target.series) };
    if (target.kind === 'array') return { kind: 'array', items: target.items.map(fill) };
    throw fail(id, 'the first argument of FILL must be a time series.');
  }
  if (args.length !== 1) throw fail(id, `${name} takes one argument.`);
  const arg = ev(args[0]!);
  const reduce = REDUCERS[name]!;
  // Of one series: a scalar over its values. Of an array: a series of the value at each time.
  if (arg.kind === 'series') {
    if (arg.series.values.length === 0) throw fail(id, `${name} of a time series without data has no value.`);
    return { kind: 'scalar', value: reduce(arg.series.values) };
  }
  if (arg.kind === 'scalar') return arg;
  const byTime = new Map<number, number[]>();
  for (const s of arg.items) s.timestamps.forEach((t, k) => (byTime.get(t) ?? byTime.set(t, []).get(t)!).push(s.values[k]!));
  const timestamps = [...byTime.keys()].sort((a, b) => a - b);
  const grid = arg.items[0]?.grid ?? { start: 0, end: 0, periodMs: 60_000 };
  return { kind: 'series', series: { timestamps, values: timestamps.map((t) => reduce(byTime.get(t)!)), grid } };
}

const REDUCERS: Record<string, (values: readonly number[]) => number> = {
  SUM: (v) => v.reduce((a, b) => a + b, 0),
  AVG: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  MIN: (v) => Math.min(...v),
  MAX: (v) => Math.max(...v),
};

/** The most periods FILL walks: GetMetricData's limit of datapoints per call. */
const MAX_FILLED = 100_800;

function fillSeries(series: Series, how: MathValue | string, id: string): Series {
  const { start, end, periodMs } = series.grid;
  if ((end - start) / periodMs > MAX_FILLED) {
    throw fail(id, `FILL over more than ${MAX_FILLED.toLocaleString('en-US')} periods; increase the Period or shorten the time range.`);
  }
  const known = new Map(series.timestamps.map((t, k) => [t, series.values[k]!]));
  const timestamps: number[] = [];
  const values: number[] = [];
  let previous: number | undefined;
  for (let t = start; t < end; t += periodMs) {
    const v = known.get(t);
    if (v !== undefined) previous = v;
    let filled: number | undefined = v;
    if (filled === undefined) {
      if (typeof how === 'string') {
        if (how === 'REPEAT') filled = previous;
        else if (how === 'LINEAR') filled = linearAt(series, t);
        else throw fail(id, `FILL does not take ${how}; use a number, REPEAT or LINEAR.`);
      } else if (how.kind === 'scalar') filled = how.value;
      else throw fail(id, 'the second argument of FILL must be a number, REPEAT or LINEAR.');
    }
    if (filled !== undefined) {
      timestamps.push(t);
      values.push(filled);
    }
  }
  return { timestamps, values, grid: series.grid };
}

/** The value at `t` on the line between the known values around it; undefined at the edges. */
function linearAt(series: Series, t: number): number | undefined {
  const ts = series.timestamps;
  let k = 0;
  while (k < ts.length && ts[k]! < t) k++;
  if (k === 0 || k === ts.length) return undefined;
  const [t0, t1, v0, v1] = [ts[k - 1]!, ts[k]!, series.values[k - 1]!, series.values[k]!];
  return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
}

const OPS: Record<'+' | '-' | '*' | '/', (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
};

function arithmetic(sign: '+' | '-' | '*' | '/', left: MathValue, right: MathValue, id: string): MathValue {
  const f = OPS[sign];
  if (left.kind === 'scalar' && right.kind === 'scalar') return { kind: 'scalar', value: f(left.value, right.value) };
  if (left.kind === 'array' || right.kind === 'array') {
    if (left.kind === 'array' && right.kind === 'array') throw fail(id, 'arithmetic between two arrays of time series is not supported.');
    const [array, other, arrayFirst] = left.kind === 'array' ? [left, right, true] : [right as Extract<MathValue, { kind: 'array' }>, left, false];
    const items = array.items.map((s) => {
      const r = arrayFirst ? arithmetic(sign, { kind: 'series', series: s }, other, id) : arithmetic(sign, other, { kind: 'series', series: s }, id);
      return (r as Extract<MathValue, { kind: 'series' }>).series;
    });
    return { kind: 'array', items };
  }
  const a = left.kind === 'series' ? left.series : undefined;
  const b = right.kind === 'series' ? right.series : undefined;
  const base = (a ?? b)!;
  const timestamps: number[] = [];
  const values: number[] = [];
  const push = (t: number, v: number) => {
    if (Number.isFinite(v)) {
      timestamps.push(t);
      values.push(v);
    }
  };
  if (a && b) {
    const other = new Map(b.timestamps.map((t, k) => [t, b.values[k]!]));
    a.timestamps.forEach((t, k) => {
      const w = other.get(t);
      if (w !== undefined) push(t, f(a.values[k]!, w));
    });
  } else if (a) {
    const s = (right as { value: number }).value;
    a.timestamps.forEach((t, k) => push(t, f(a.values[k]!, s)));
  } else {
    const s = (left as { value: number }).value;
    b!.timestamps.forEach((t, k) => push(t, f(s, b!.values[k]!)));
  }
  return { kind: 'series', series: { timestamps, values, grid: base.grid } };
}
