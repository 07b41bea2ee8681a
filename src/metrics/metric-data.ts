import { DomainError, ErrorKind, invalidParameter } from '../lib/errors.js';
import { decodeToken, encodeToken } from '../lib/pagination.js';
import type { Scope } from '../lib/scope.js';
import { invalidCombination, missingParameter, type Dimension } from './datum-rules.js';
import { evaluate, parseExpression, referencedIds, type Expr, type MathValue, type Series } from './metric-math.js';
import type { MetricService } from './metric-service.js';
import { checkPeriod, timeGrid } from './periods.js';
import { BASIC_STATISTICS, statistic } from './statistics.js';

/**
 * GetMetricData: MetricStat queries read through the metric service, expressions evaluated by
 * metric-math.ts over them, the results cut to MaxDatapoints with a NextToken that resumes them.
 */

/** One MetricDataQuery, as the API carries it. */
export interface DataQuery {
  readonly Id: string;
  readonly MetricStat?: {
    readonly Metric: { readonly Namespace?: string; readonly MetricName?: string; readonly Dimensions?: readonly Dimension[] };
    readonly Period: number;
    readonly Stat: string;
    readonly Unit?: string;
  };
  readonly Expression?: string;
  readonly Label?: string;
  readonly ReturnData?: boolean;
  readonly Period?: number;
  readonly AccountId?: string;
}

/** A GetMetricData request (times in epoch seconds). */
export interface DataRequest {
  readonly MetricDataQueries: readonly DataQuery[];
  readonly StartTime: number;
  readonly EndTime: number;
  readonly NextToken?: string;
  readonly ScanBy?: 'TimestampDescending' | 'TimestampAscending';
  readonly MaxDatapoints?: number;
}

/** One MetricDataResult (wire names; timestamps in epoch seconds). */
export interface DataResult {
  Id: string;
  Label: string;
  Timestamps: number[];
  Values: number[];
  StatusCode: 'Complete' | 'PartialData';
  Messages: Array<{ Code: string; Value: string }>;
}

/** At most this many queries per request. */
export const MAX_QUERIES = 500;
/** The default and largest MaxDatapoints. */
export const MAX_DATAPOINTS_PER_CALL = 100_800;
const ID = /^[a-z][a-zA-Z0-9_]*$/;
const TOKEN_LISTING = 'GetMetricData';

/** Answers a GetMetricData request: the results in query order and, when cut, the NextToken. */
export async function getMetricData(service: MetricService, scope: Scope, request: DataRequest): Promise<{ results: DataResult[]; nextToken?: string }> {
  const queries = request.MetricDataQueries;
  if (queries.length === 0) throw missingParameter('The parameter MetricDataQueries is required.');
  if (queries.length > MAX_QUERIES) throw invalidParameter(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const byId = new Map<string, DataQuery>();
  queries.forEach((q, i) => checkQuery(q, i + 1, byId, scope));
  if (!queries.some((q) => q.ReturnData !== false)) {
    throw invalidParameter('At least one of the MetricDataQueries must have ReturnData set to true.');
  }
  const max = request.MaxDatapoints ?? MAX_DATAPOINTS_PER_CALL;
  if (max < 1) throw invalidParameter(`The value ${max} for parameter MaxDatapoints is invalid. It must be at least 1.`);
  const offset = resumeOffset(request.NextToken);

  const expressions = new Map<string, Expr>();
  for (const q of queries) if (q.Expression !== undefined) expressions.set(q.Id, parseExpression(q.Expression, q.Id));
  for (const [id, expr] of expressions) for (const ref of referencedIds(expr)) if (!byId.has(ref)) {
    throw invalidParameter(`Error in expression ${id}: Unrecognized metric identifier ${ref}.`);
  }
  // The series of the metrics the returned queries need are read first (the store is
  // asynchronous); the expressions are then evaluated over them.
  const values = new Map<string, MathValue>();
  const needed = neededStats(queries, byId, expressions);
  const series = await Promise.all(needed.map((id) => statSeries(service, scope, request, byId.get(id)!)));
  needed.forEach((id, k) => values.set(id, { kind: 'series', series: series[k]! }));
  const evaluating = new Set<string>();
  const resolve = (id: string): MathValue => {
    const done = values.get(id);
    if (done) return done;
    const q = byId.get(id);
    if (!q) throw invalidParameter(`Error in expression: Unrecognized metric identifier ${id}.`);
    if (evaluating.has(id)) throw invalidParameter(`Error in expression ${id}: circular reference to ${id}.`);
    evaluating.add(id);
    const value: MathValue = evaluate(expressions.get(id)!, id, resolve);
    evaluating.delete(id);
    values.set(id, value);
    return value;
  };

  const descending = (request.ScanBy ?? 'TimestampDescending') === 'TimestampDescending';
  const full: DataResult[] = [];
  for (const q of queries) {
    if (q.ReturnData === false) continue;
    const value = resolve(q.Id);
    if (value.kind !== 'series') {
      throw invalidParameter(`Error in expression ${q.Id}: the expression must return a single time series, not ${value.kind === 'scalar' ? 'a scalar' : 'an array of time series'}.`);
    }
    const s = value.series;
    const order = s.timestamps.map((_, k) => k);
    if (descending) order.reverse();
    full.push({
      Id: q.Id,
      Label: q.Label ?? q.MetricStat?.Metric.MetricName ?? q.Id,
      Timestamps: order.map((k) => s.timestamps[k]! / 1000),
      Values: order.map((k) => s.values[k]!),
      StatusCode: 'Complete',
      Messages: [],
    });
  }
  return page(full, offset, max);
}

/**
 * The MetricStat queries the returned queries use, directly or through expressions, in query
 * order: those alone are read, as a lazy evaluation would.
 */
function neededStats(queries: readonly DataQuery[], byId: ReadonlyMap<string, DataQuery>, expressions: ReadonlyMap<string, Expr>): string[] {
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const expr = expressions.get(id);
    if (expr) for (const ref of referencedIds(expr)) visit(ref);
  };
  for (const q of queries) if (q.ReturnData !== false) visit(q.Id);
  return queries.filter((q) => q.MetricStat !== undefined && seen.has(q.Id)).map((q) => q.Id);
}

/** Where a NextToken resumes: how many datapoints earlier pages held. */
function resumeOffset(token: string | undefined): number {
  let offset = Number.NaN;
  try {
    offset = Number(decodeToken(TOKEN_LISTING, token) ?? 0);
  } catch {
    // Refused below, as CloudWatch's InvalidNextToken.
  }
  if (!Number.isSafeInteger(offset) || offset < 0) throw invalidNextToken();
  return offset;
}

/** A NextToken this endpoint did not give out (InvalidNextToken). */
export const invalidNextToken = (): DomainError => new DomainError(ErrorKind.InvalidArgument, 'The value of parameter NextToken is invalid.', 'next-token');

/** Cuts the flattened datapoints of all results to [offset, offset + max). */
function page(full: DataResult[], offset: number, max: number): { results: DataResult[]; nextToken?: string } {
  let skip = offset;
  let room = max;
  let cut = false;
  const results = full.map((r) => {
    const from = Math.min(skip, r.Values.length);
    skip -= from;
    const take = Math.min(room, r.Values.length - from);
    room -= take;
    const partial = from + take < r.Values.length;
    cut ||= partial;
    return {
      ...r,
      Timestamps: r.Timestamps.slice(from, from + take),
      Values: r.Values.slice(from, from + take),
      StatusCode: partial ? ('PartialData' as const) : r.StatusCode,
    };
  });
  return cut ? { results, nextToken: encodeToken(TOKEN_LISTING, String(offset + max)) } : { results };
}

function checkQuery(q: DataQuery, n: number, byId: Map<string, DataQuery>, scope: Scope): void {
  const at = `MetricDataQueries.member.${n}`;
  if (!ID.test(q.Id)) {
    throw invalidParameter(`The value ${q.Id} for parameter ${at}.Id is invalid: it must start with a lower-case letter and hold only letters, digits and underscores.`);
  }
  if (byId.has(q.Id)) throw invalidParameter(`The value ${q.Id} for parameter ${at}.Id is not unique.`);
  byId.set(q.Id, q);
  if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
    throw invalidCombination(`Exactly one of the parameters ${at}.MetricStat and ${at}.Expression must be specified.`);
  }
  if (q.AccountId !== undefined && q.AccountId !== scope.accountId) {
    throw invalidParameter(`The value ${q.AccountId} for parameter ${at}.AccountId is invalid: cross-account queries are not served by this endpoint.`);
  }
  // Dynamic labels (${PROP('…')}, ${MAX}, …) are not filled in here: refused rather than shown raw.
  if (q.Label?.includes('${')) {
    throw invalidParameter(`The value of parameter ${at}.Label uses a dynamic label, which this endpoint does not support.`);
  }
  if (q.Period !== undefined) checkPeriod(q.Period, `${at}.Period`);
  if (q.Expression !== undefined) {
    if (/^\s*(SELECT|SEARCH)\b/i.test(q.Expression) || /\bSEARCH\s*\(/.test(q.Expression)) {
      throw invalidParameter(`Error in expression ${q.Id}: Metrics Insights queries and SEARCH are not supported by this endpoint.`);
    }
    return;
  }
  const stat = q.MetricStat!;
  if (stat.Metric.MetricName === undefined) throw missingParameter(`The parameter ${at}.MetricStat.Metric.MetricName is required.`);
  if (stat.Metric.Namespace === undefined) throw missingParameter(`The parameter ${at}.MetricStat.Metric.Namespace is required.`);
  checkPeriod(stat.Period, `${at}.MetricStat.Period`);
  if (!(BASIC_STATISTICS as readonly string[]).includes(stat.Stat) && !/^p(\d{1,2}(\.\d{1,10})?|100)$/.test(stat.Stat)) {
    throw invalidParameter(`The value for parameter ${at}.MetricStat.Stat is not a valid statistic.`);
  }
}

/** Whether a statistic is one of the five basic ones (no raw values needed). */
const isBasic = (stat: string): boolean => (BASIC_STATISTICS as readonly string[]).includes(stat);

/** The series of a MetricStat query: its statistic per non-empty bucket, all units together unless one is named. */
async function statSeries(service: MetricService, scope: Scope, request: DataRequest, q: DataQuery): Promise<Series> {
  const stat = q.MetricStat!;
  const grid = timeGrid(request.StartTime * 1000, request.EndTime * 1000, stat.Period, scope.now);
  const metric = await service.metric(scope, stat.Metric.Namespace!, stat.Metric.MetricName!, stat.Metric.Dimensions);
  const timestamps: number[] = [];
  const values: number[] = [];
  for (const bucket of await service.buckets(metric, grid, stat.Period, scope.now, stat.Unit, { splitUnits: false, values: !isBasic(stat.Stat) })) {
    const v = statistic(bucket.aggregate, stat.Stat);
    if (v === undefined) continue;
    timestamps.push(bucket.start);
    values.push(v);
  }
  return { timestamps, values, grid: { start: grid.start, end: grid.end, periodMs: grid.periodMs } };
}
