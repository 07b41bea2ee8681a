import type { CheckedDatum, Dimension } from './datum-rules.js';
import type { SampleSet } from './statistics.js';

/** A metric: a namespace, a name and a dimension set, in one region. */
export interface MetricRecord {
  readonly id: number;
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  /** Sorted by name. */
  readonly dimensions: readonly Dimension[];
  /** When data was last published to it (epoch ms, the request's time). */
  readonly lastPut: number;
}

/** A stored datum of one metric. */
export interface StoredDatum {
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly unit: string;
  readonly storageResolution: 1 | 60;
  readonly samples: SampleSet;
}

/** A time grid's buckets as the store sums them: `start` plus whole multiples of `periodMs`, below `end`. */
export interface BucketGrid {
  readonly start: number;
  readonly end: number;
  readonly periodMs: number;
}

/** The statistic set of one bucket (and one unit, when units are kept apart). */
export interface BucketSums {
  /** The bucket's index on the grid. */
  readonly bucket: number;
  /** The unit of its data when units are kept apart; otherwise the unit asked for, or ''. */
  readonly unit: string;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

/** The checked data of one PutMetricData. */
export interface PutBatch {
  readonly region: string;
  readonly namespace: string;
  readonly data: readonly CheckedDatum[];
  /** The request's time (epoch ms): the metrics' `lastPut`. */
  readonly now: number;
}

/** Which metrics a listing wants; `afterId` resumes a listing. */
export interface MetricQuery {
  readonly region: string;
  readonly namespace?: string;
  readonly metricName?: string;
  /** Only metrics published to at or after this time (epoch ms). */
  readonly since: number;
  readonly afterId?: number;
  readonly limit: number;
}

/**
 * Where metrics and their data live. Asynchronous, since PostgreSQL is (the SQLite implementation
 * does its work synchronously inside each call): a PutMetricData is one transaction, and a read is
 * one indexed range scan per metric.
 */
export interface MetricStore {
  /** Stores checked data of `namespace` (creating metrics as needed) in one transaction. */
  put(region: string, namespace: string, data: readonly CheckedDatum[], now: number): Promise<void>;
  /**
   * Stores several requests' data in one transaction (a group commit): cheaper per datum than a
   * transaction each, as the requests' rows share index pages. All or none are stored; resolves
   * once committed.
   */
  putMany(batches: readonly PutBatch[]): Promise<void>;
  /** The metric with exactly this name and dimension set, if data was ever published to it. */
  metric(region: string, namespace: string, metricName: string, dimensions: readonly Dimension[]): Promise<MetricRecord | undefined>;
  /** The data of a metric with `from <= timestamp < to`, in time order, of one unit when given. */
  data(metricId: number, from: number, to: number, unit?: string): Promise<StoredDatum[]>;
  /**
   * The sums, counts, minima and maxima of a metric's data per bucket of `grid` (and per unit with
   * `splitUnits`), in bucket and unit order, computed where the data lie: what statistics other
   * than percentiles need, without reading each datum. Standard-resolution data counts at its minute.
   */
  bucketSums(metricId: number, grid: BucketGrid, unit: string | undefined, splitUnits: boolean): Promise<BucketSums[]>;
  /** Metrics matching a query, in id order. */
  metrics(query: MetricQuery): Promise<MetricRecord[]>;
  /** Deletes at most `maxRows` data older than `before`, and metrics left without data; returns the rows deleted. */
  expire(before: number, maxRows: number): Promise<number>;
  close(): Promise<void>;
}
