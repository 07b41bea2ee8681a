import { invalidParameter } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';
import { checkDatum, invalidCombination, missingParameter, type CheckedDatum, type DatumInput, type Dimension } from './datum-rules.js';
import { GroupCommit } from './group-commit.js';
import type { MetricRecord, MetricStore } from './metric-store.js';
import { bucketOf, checkDatapointLimit, checkPeriod, retainedAt, RETENTION_MS, timeGrid, type TimeGrid } from './periods.js';
import { aggregate, BASIC_STATISTICS, percentile, percentileOf, basicStatistic, type Aggregate, type SampleSet } from './statistics.js';
import { SqliteMetricStore } from './sqlite-metric-store.js';

/** At most this many data in one PutMetricData ("no more than 1000 different metrics"). */
export const MAX_DATA_PER_PUT = 1000;
/** ListMetrics' page size. */
export const LIST_PAGE = 500;
/** ListMetrics shows metrics published to within two weeks. */
const LISTED_FOR_MS = 14 * 24 * 3600 * 1000;
/** RecentlyActive=PT3H: published to within three hours. */
const RECENTLY_ACTIVE_MS = 3 * 3600 * 1000;

/** A PutMetricData request, as the API carries it. */
export interface PutRequest {
  readonly Namespace: string;
  readonly MetricData?: readonly DatumInput[];
  /** Whether the `AWS/` namespaces, reserved for AWS's own metrics, may be written (minato's own publishers). */
  readonly allowReserved?: boolean;
}

/** A GetMetricStatistics request (times in epoch seconds). */
export interface StatisticsRequest {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions?: readonly Dimension[];
  readonly StartTime: number;
  readonly EndTime: number;
  readonly Period: number;
  readonly Statistics?: readonly string[];
  readonly ExtendedStatistics?: readonly string[];
  readonly Unit?: string;
}

/** One datapoint of GetMetricStatistics' answer (wire names; the timestamp in epoch seconds). */
export interface Datapoint {
  Timestamp: number;
  Unit: string;
  SampleCount?: number;
  Average?: number;
  Sum?: number;
  Minimum?: number;
  Maximum?: number;
  ExtendedStatistics?: Record<string, number>;
}

/** A ListMetrics request. */
export interface ListRequest {
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly Dimensions?: ReadonlyArray<{ Name: string; Value?: string }>;
  readonly RecentlyActive?: string;
  /** The id of the last metric of the previous page. */
  readonly afterId?: number;
}

/** Told of the data of each accepted PutMetricData (the alarms' evaluation on arrival); must not throw. */
export type PutListener = (region: string, namespace: string, data: readonly CheckedDatum[]) => void;

/** A bucket's statistics: the aggregate of the data of one unit in one period. */
export interface Bucket {
  readonly start: number;
  readonly unit: string;
  readonly aggregate: Aggregate;
}

/**
 * CloudWatch metrics: publishing, statistics and listing over a MetricStore. Every call takes the
 * request's scope (region and time); nothing here reads the clock.
 */
export class MetricService {
  private readonly listeners = new Set<PutListener>();
  private readonly group: GroupCommit;

  constructor(readonly store: MetricStore) {
    this.group = new GroupCommit(store);
  }

  /** Calls `listener` with the data of every accepted put, once stored; returns a function that removes it. */
  onPut(listener: PutListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** PutMetricData: checks every datum first, then stores them all in one transaction. */
  async put(scope: Scope, request: PutRequest): Promise<void> {
    const checked = this.check(scope, request);
    await this.store.put(scope.region, request.Namespace, checked, scope.now.getTime());
    this.stored(scope.region, request.Namespace, checked);
  }

  /**
   * PutMetricData as the API serves it: checked at once (a bad request fails before anything is
   * stored), then stored in one transaction with the other requests of this turn of the event
   * loop (group-commit.ts); resolves once that transaction has committed.
   */
  async putGrouped(scope: Scope, request: PutRequest): Promise<void> {
    const data = this.check(scope, request);
    await this.group.put({ region: scope.region, namespace: request.Namespace, data, now: scope.now.getTime() });
    this.stored(scope.region, request.Namespace, data);
  }

  /** Tells the listeners of data that committed. */
  private stored(region: string, namespace: string, data: readonly CheckedDatum[]): void {
    for (const listener of this.listeners) listener(region, namespace, data);
  }

  /** The request's data, checked and ready to store; throws the first problem. */
  private check(scope: Scope, request: PutRequest): CheckedDatum[] {
    if (request.Namespace.startsWith('AWS/') && !request.allowReserved) {
      throw invalidParameter(`The value ${request.Namespace} for parameter Namespace is invalid: namespaces beginning with AWS/ are reserved for AWS.`);
    }
    const data = request.MetricData;
    if (data === undefined || data.length === 0) throw missingParameter('The parameter MetricData is required.');
    if (data.length > MAX_DATA_PER_PUT) throw invalidParameter(`The collection MetricData must not have a size greater than ${MAX_DATA_PER_PUT}.`);
    return data.map((d, i) => checkDatum(d, i + 1, scope.now));
  }

  /** The metric named exactly so, if data was ever published to it. */
  metric(scope: Scope, namespace: string, metricName: string, dimensions: readonly Dimension[] = []): Promise<MetricRecord | undefined> {
    const sorted = [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
    return this.store.metric(scope.region, namespace, metricName, sorted);
  }

  /**
   * The non-empty buckets of a metric on a grid, per unit, in time order; buckets past the
   * retention of their period's resolution are left out (see periods.ts). Unless `values` is asked
   * for (percentiles need the raw values), the store sums the buckets itself and no datum is read.
   */
  async buckets(
    metric: MetricRecord | undefined,
    grid: TimeGrid,
    periodSeconds: number,
    now: Date,
    unit?: string,
    { splitUnits = true, values = true }: { splitUnits?: boolean; values?: boolean } = {},
  ): Promise<Bucket[]> {
    if (!metric) return [];
    const out: Bucket[] = [];
    if (!values) {
      for (const b of await this.store.bucketSums(metric.id, grid, unit, splitUnits)) {
        const start = grid.start + b.bucket * grid.periodMs;
        if (retainedAt(start, periodSeconds, now)) out.push({ start, unit: b.unit, aggregate: { sampleCount: b.count, sum: b.sum, min: b.min, max: b.max, values: undefined } });
      }
      return out;
    }
    const groups = new Map<string, SampleSet[]>();
    for (const d of await this.store.data(metric.id, grid.start, grid.end, unit)) {
      // Standard-resolution data is kept per minute: below a minute it falls in its minute's bucket.
      const at = d.storageResolution === 60 ? Math.floor(d.timestamp / 60_000) * 60_000 : d.timestamp;
      const b = bucketOf(grid, at);
      if (b < 0) continue;
      // GetMetricStatistics answers one datapoint per unit; GetMetricData one value per period.
      const key = `${b}\n${splitUnits ? d.unit : (unit ?? '')}`;
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(d.samples);
    }
    for (const [key, sets] of groups) {
      const [b, u] = key.split('\n') as [string, string];
      const start = grid.start + Number(b) * grid.periodMs;
      if (retainedAt(start, periodSeconds, now)) out.push({ start, unit: u, aggregate: aggregate(sets) });
    }
    return out.sort((x, y) => x.start - y.start || (x.unit < y.unit ? -1 : 1));
  }

  /** GetMetricStatistics. */
  async statistics(scope: Scope, request: StatisticsRequest): Promise<Datapoint[]> {
    const stats = request.Statistics ?? [];
    const extended = request.ExtendedStatistics ?? [];
    if ((stats.length > 0) === (extended.length > 0)) {
      throw (stats.length === 0 ? missingParameter : invalidCombination)('Must specify either Statistics or ExtendedStatistics, but not both.');
    }
    for (const e of extended) {
      if (percentileOf(e) === undefined) throw invalidParameter(`The value ${e} for parameter ExtendedStatistics is not supported. Use a percentile from p0 to p100.`);
    }
    checkPeriod(request.Period);
    const grid = timeGrid(request.StartTime * 1000, request.EndTime * 1000, request.Period, scope.now);
    checkDatapointLimit(grid);
    const metric = await this.metric(scope, request.Namespace, request.MetricName, request.Dimensions);
    return (await this.buckets(metric, grid, request.Period, scope.now, request.Unit, { values: extended.length > 0 })).map((b) => datapoint(b, stats, extended));
  }

  /** ListMetrics: one page of at most 500 metrics matching the filters, and whether more follow. */
  async list(scope: Scope, request: ListRequest): Promise<{ metrics: MetricRecord[]; more: boolean }> {
    if (request.RecentlyActive !== undefined && request.RecentlyActive !== 'PT3H') {
      throw invalidParameter(`The value ${request.RecentlyActive} for parameter RecentlyActive is invalid. The only valid value is PT3H.`);
    }
    const now = scope.now.getTime();
    const since = now - (request.RecentlyActive ? RECENTLY_ACTIVE_MS : LISTED_FOR_MS);
    const filters = request.Dimensions ?? [];
    const matches = (m: MetricRecord) =>
      filters.every((f) => m.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)));
    const found: MetricRecord[] = [];
    let afterId = request.afterId;
    // Dimension filters apply after the indexed query; scan on until a page is full or all is seen.
    for (;;) {
      const rows = await this.store.metrics({
        region: scope.region,
        since,
        limit: 1000,
        ...(request.Namespace !== undefined && { namespace: request.Namespace }),
        ...(request.MetricName !== undefined && { metricName: request.MetricName }),
        ...(afterId !== undefined && { afterId }),
      });
      for (const m of rows) {
        if (!matches(m)) continue;
        if (found.length === LIST_PAGE) return { metrics: found, more: true };
        found.push(m);
      }
      if (rows.length < 1000) return { metrics: found, more: false };
      afterId = rows[rows.length - 1]!.id;
    }
  }

  /** Deletes data past CloudWatch's longest retention (455 days), at most `maxRows` per call. */
  expire(now: Date, maxRows: number): Promise<number> {
    return this.store.expire(now.getTime() - RETENTION_MS.hour, maxRows);
  }

  /**
   * Runs {@link expire} every `intervalMs`, in bounded turns; returns a function that stops it.
   * The timer does not keep the process alive.
   */
  startExpiry(intervalMs: number, onError: (err: unknown) => void, clock: () => Date = () => new Date()): () => void {
    const rowsPerTurn = 20_000;
    let stopped = false;
    let sweeping = false;
    const turn = (): void => {
      if (stopped || sweeping) return;
      sweeping = true;
      this.expire(clock(), rowsPerTurn).then(
        (deleted) => {
          sweeping = false;
          if (deleted >= rowsPerTurn) setImmediate(turn);
        },
        (err: unknown) => {
          sweeping = false;
          onError(err);
        },
      );
    };
    const timer = setInterval(turn, intervalMs);
    timer.unref();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }

  /** Writes the pending group and closes the store. */
  async close(): Promise<void> {
    await this.group.drain();
    await this.store.close();
  }
}

function datapoint(bucket: Bucket, stats: readonly string[], extended: readonly string[]): Datapoint {
  const point: Datapoint = { Timestamp: bucket.start / 1000, Unit: bucket.unit };
  for (const s of stats) {
    if ((BASIC_STATISTICS as readonly string[]).includes(s)) point[s as (typeof BASIC_STATISTICS)[number]] = basicStatistic(bucket.aggregate, s as (typeof BASIC_STATISTICS)[number]);
  }
  if (extended.length > 0) {
    const values: Record<string, number> = {};
    for (const e of extended) {
      const v = percentile(bucket.aggregate, percentileOf(e)!);
      if (v !== undefined) values[e] = v;
    }
    point.ExtendedStatistics = values;
  }
  return point;
}

/** Opens the metric service on `<file>` (`metrics.db`), or in memory for `:memory:`. */
export function openMetricService(file: string): MetricService {
  return new MetricService(new SqliteMetricStore(file));
}
