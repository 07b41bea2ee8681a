import { DomainError, ErrorKind, invalidParameter } from '../lib/errors.js';
import type { SampleSet } from './statistics.js';

/**
 * PutMetricData's rules for one datum, pure: which value forms may be combined, the ranges
 * CloudWatch accepts, the timestamp window and the storage resolution. Messages name members the
 * way CloudWatch does, by their Query parameter path (`MetricData.member.1.Value`).
 */

/** A dimension of a metric. */
export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

/** One datum as PutMetricData carries it (timestamps in epoch seconds). */
export interface DatumInput {
  readonly MetricName: string;
  readonly Dimensions?: readonly Dimension[];
  readonly Timestamp?: number;
  readonly Value?: number | string;
  readonly StatisticValues?: { SampleCount: number | string; Sum: number | string; Minimum: number | string; Maximum: number | string };
  readonly Values?: ReadonlyArray<number | string>;
  readonly Counts?: ReadonlyArray<number | string>;
  readonly Unit?: string;
  readonly StorageResolution?: number;
}

/** A datum ready to store. */
export interface CheckedDatum {
  readonly metricName: string;
  /** Sorted by name: a metric is its namespace, name and dimension set, whatever the order sent. */
  readonly dimensions: readonly Dimension[];
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly unit: string;
  readonly storageResolution: 1 | 60;
  readonly samples: SampleSet;
}

/** A combination of parameters that CloudWatch refuses as such (InvalidParameterCombination). */
export const invalidCombination = (message: string): DomainError => new DomainError(ErrorKind.InvalidArgument, message, 'combination');
/** A parameter that the request must carry (MissingParameter). */
export const missingParameter = (message: string): DomainError => new DomainError(ErrorKind.InvalidArgument, message, 'missing');

/** Values must lie within ±2^360 ("Values must be in the range of -2^360 to 2^360"). */
const LIMIT = 2 ** 360;
/** At most this many values per datum. */
export const MAX_VALUES = 150;
/** How far back a timestamp may be: two weeks. */
export const MAX_PAST_MS = 14 * 24 * 3600 * 1000;
/** How far ahead a timestamp may be: two hours. */
export const MAX_FUTURE_MS = 2 * 3600 * 1000;

/** Checks datum number `index` (1-based) of a request at `now` and returns it ready to store. */
export function checkDatum(datum: DatumInput, index: number, now: Date): CheckedDatum {
  const at = `MetricData.member.${index}`;
  const forms = [datum.Value !== undefined && 'Value', datum.Values !== undefined && 'Values', datum.StatisticValues !== undefined && 'StatisticValues'].filter(
    (f): f is string => f !== false,
  );
  if (forms.length > 1) {
    throw invalidCombination(`The parameters ${at}.${forms[0]} and ${at}.${forms[1]} are mutually exclusive and you have specified both.`);
  }
  if (datum.Counts !== undefined && datum.Values === undefined) {
    throw invalidCombination(`The parameter ${at}.Counts must be specified with ${at}.Values.`);
  }
  const samples = samplesOf(datum, at);
  const timestamp = checkTimestamp(datum.Timestamp, at, now);
  const resolution = datum.StorageResolution ?? 60;
  if (resolution !== 1 && resolution !== 60) {
    throw invalidParameter(`The value ${resolution} for parameter ${at}.StorageResolution is not valid. Valid values are 1 and 60.`);
  }
  const dimensions = [...(datum.Dimensions ?? [])].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  for (let i = 1; i < dimensions.length; i++) {
    if (dimensions[i]!.Name === dimensions[i - 1]!.Name) {
      throw invalidParameter(`The collection ${at}.Dimensions must not contain duplicate dimension names: ${dimensions[i]!.Name}.`);
    }
  }
  return { metricName: datum.MetricName, dimensions, timestamp, unit: datum.Unit ?? 'None', storageResolution: resolution, samples };
}

function samplesOf(datum: DatumInput, at: string): SampleSet {
  if (datum.Value !== undefined) {
    const v = checkValue(datum.Value, `${at}.Value`);
    return { count: 1, sum: v, min: v, max: v, values: [[v, 1]] };
  }
  if (datum.Values !== undefined) return valuesSet(datum.Values, datum.Counts, at);
  if (datum.StatisticValues !== undefined) return statisticSet(datum.StatisticValues, `${at}.StatisticValues`);
  throw missingParameter(`The parameter ${at}.Value, ${at}.Values or ${at}.StatisticValues is required.`);
}

function checkValue(raw: number | string, param: string): number {
  const v = typeof raw === 'number' ? raw : Number.NaN;
  if (!Number.isFinite(v) || Math.abs(v) > LIMIT) throw invalidParameter(`The value ${String(raw)} for parameter ${param} is invalid.`);
  // CloudWatch truncates values whose magnitude is below 2^-260 to 0.
  return Math.abs(v) < 2 ** -260 ? 0 : v;
}

function valuesSet(values: ReadonlyArray<number | string>, counts: ReadonlyArray<number | string> | undefined, at: string): SampleSet {
  if (values.length === 0) throw missingParameter(`The parameter ${at}.Values must not be empty.`);
  if (values.length > MAX_VALUES) throw invalidParameter(`The collection ${at}.Values must not have a size greater than ${MAX_VALUES}.`);
  if (counts !== undefined && counts.length !== values.length) {
    throw invalidCombination(`The parameters ${at}.Values and ${at}.Counts must be of the same size.`);
  }
  const pairs: Array<readonly [number, number]> = [];
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  values.forEach((raw, i) => {
    const v = checkValue(raw, `${at}.Values.member.${i + 1}`);
    const c = counts === undefined ? 1 : checkValue(counts[i]!, `${at}.Counts.member.${i + 1}`);
    if (c < 0) throw invalidParameter(`The value ${c} for parameter ${at}.Counts.member.${i + 1} is invalid.`);
    // A value counted zero times was not observed.
    if (c === 0) return;
    pairs.push([v, c]);
    count += c;
    sum += v * c;
    if (v < min) min = v;
    if (v > max) max = v;
  });
  if (pairs.length === 0) throw invalidParameter(`The parameter ${at}.Counts must count at least one value.`);
  return { count, sum, min, max, values: pairs };
}

function statisticSet(set: NonNullable<DatumInput['StatisticValues']>, at: string): SampleSet {
  const count = checkValue(set.SampleCount, `${at}.SampleCount`);
  const sum = checkValue(set.Sum, `${at}.Sum`);
  const min = checkValue(set.Minimum, `${at}.Minimum`);
  const max = checkValue(set.Maximum, `${at}.Maximum`);
  if (!(count > 0)) throw invalidParameter(`The value ${count} for parameter ${at}.SampleCount is invalid. It must be greater than 0.`);
  if (min > max) throw invalidCombination(`The parameter ${at}.Minimum must not be greater than ${at}.Maximum.`);
  // Percentiles are kept when the set says what its values were: one sample, or all samples equal
  // (Minimum = Maximum and Sum = Minimum × SampleCount), as CloudWatch's documentation states.
  const known = count === 1 ? min === max && sum === min : min === max && sum === min * count;
  return { count, sum, min, max, ...(known && { values: [[min, count]] as const }) };
}

function checkTimestamp(seconds: number | undefined, at: string, now: Date): number {
  if (seconds === undefined) return now.getTime();
  const ms = Math.round(seconds * 1000);
  if (ms < now.getTime() - MAX_PAST_MS) {
    throw invalidParameter(`The parameter ${at}.Timestamp must specify a time within the past two weeks.`);
  }
  if (ms > now.getTime() + MAX_FUTURE_MS) {
    throw invalidParameter(`The parameter ${at}.Timestamp must specify a time no more than two hours in the future.`);
  }
  return ms;
}
