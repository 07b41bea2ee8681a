import type { Comparison, StateValue, ThresholdRule } from './alarm-types.js';

/**
 * The state rule of a metric alarm, pure: from the datapoints of its evaluation range, its rule
 * and its current state, the state it should be in and why, in CloudWatch's words.
 *
 * CloudWatch reads more periods than EvaluationPeriods (N), the evaluation range, and then:
 * - with at least N real datapoints, judges the N most recent: ALARM when at least
 *   DatapointsToAlarm (M) of them breach, else OK;
 * - with fewer, fills the gaps as TreatMissingData says, as few times as possible: `breaching`
 *   and `notBreaching` count the filled ones as breaching or not; `missing` judges only the real
 *   ones (M of them, or all when fewer); `ignore` changes the state only when the real ones
 *   decide it whatever the gaps hold;
 * - with none at all: INSUFFICIENT_DATA (`missing`), the current state (`ignore`), ALARM
 *   (`breaching`) or OK (`notBreaching`).
 */

/** One period's value (timestamp: the period's start, epoch ms). */
export interface EvaluatedPoint {
  readonly timestamp: number;
  readonly value: number;
  readonly sampleCount?: number;
}

/** What the StateReasonData names besides the datapoints. */
export interface ReasonContext {
  /** Epoch ms of the evaluation. */
  readonly queryDate: number;
  /** Epoch ms: the start of the evaluation range. */
  readonly startDate: number;
  readonly statistic?: string;
  readonly period?: number;
  readonly unit?: string;
}

export interface EvaluationInput {
  /** The real datapoints of the evaluation range, in time order, at most one per period. */
  readonly points: readonly EvaluatedPoint[];
  readonly rule: ThresholdRule;
  readonly current: StateValue;
  readonly context: ReasonContext;
  /** For percentile alarms: the percentile (0..100), so that low-sample datapoints are known. */
  readonly percentile?: number;
}

/**
 * The evaluator's verdict: a state with its reason, or `undefined` to keep the current one. The
 * reason and its data are written when read: most rounds leave most alarms as they were.
 */
export interface Verdict {
  readonly state: StateValue;
  readonly reason: string;
  readonly reasonData: string;
}

const verdict = (state: StateValue, reason: () => string, reasonData: () => string): Verdict => ({
  state,
  get reason() {
    return reason();
  },
  get reasonData() {
    return reasonData();
  },
});

/** How many extra periods past N the evaluation range reaches back (CloudWatch's example: 3 of 5). */
export const EXTRA_RANGE_PERIODS = 2;

export function breaches(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

const WORDS: Record<Comparison, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** A number as CloudWatch's messages print it (Java's Double.toString: 70 → "70.0"). */
export function javaDouble(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e7) return `${n}.0`;
  return String(n);
}

const pad = (n: number) => String(n).padStart(2, '0');
/** dd/MM/yy HH:mm:ss in UTC, as reasons print datapoint times. */
export function reasonTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** ISO time as StateReasonData writes it: 2026-12-06T18:40:00.000+0000. */
export function reasonDataTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The smallest sample count a percentile datapoint needs to be judged (p99 → 100 samples). */
export function minimumSamples(percentile: number): number {
  return percentile >= 100 ? Infinity : Math.max(1, Math.ceil(1 / (1 - percentile / 100) - 1e-9));
}

/** Judges an alarm; `undefined` keeps the current state (and its reason). */
export function evaluateAlarm(input: EvaluationInput): Verdict | undefined {
  const { rule, context } = input;
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm;
  const recent = input.points.slice(-n);
  if (input.percentile !== undefined && rule.evaluateLowSampleCountPercentile === 'ignore') {
    const needed = minimumSamples(input.percentile);
    if (recent.some((p) => (p.sampleCount ?? Infinity) < needed)) return undefined;
  }
  const breaching = recent.filter((p) => breaches(p.value, rule.comparison, rule.threshold));
  const fine = recent.filter((p) => !breaches(p.value, rule.comparison, rule.threshold));
  const reasonData = (): string =>
    JSON.stringify({
      version: '1.0',
      queryDate: reasonDataTime(context.queryDate),
      startDate: reasonDataTime(context.startDate),
      ...(context.statistic !== undefined && { statistic: context.statistic }),
      ...(context.period !== undefined && { period: context.period }),
      ...(context.unit !== undefined && { unit: context.unit }),
      recentDatapoints: recent.map((p) => p.value),
      threshold: rule.threshold,
      evaluatedDatapoints: [...recent].reverse().map((p) => ({
        timestamp: reasonDataTime(p.timestamp),
        ...(p.sampleCount !== undefined && { sampleCount: p.sampleCount }),
        value: p.value,
      })),
    });

  if (recent.length === 0) {
    if (rule.treatMissingData === 'ignore') return undefined;
    if (rule.treatMissingData === 'missing') {
      return verdict('INSUFFICIENT_DATA', () => `Insufficient Data: ${plural(n, 'datapoint')} ${n === 1 ? 'was' : 'were'} unknown.`, reasonData);
    }
    const state: StateValue = rule.treatMissingData === 'breaching' ? 'ALARM' : 'OK';
    const as = rule.treatMissingData === 'breaching' ? 'Breaching' : 'NonBreaching';
    return verdict(
      state,
      () => `Threshold Crossed: no datapoints were received for ${plural(n, 'period')} and ${plural(n, 'missing datapoint')} ${n === 1 ? 'was' : 'were'} treated as [${as}].`,
      reasonData,
    );
  }

  const missing = n - recent.length;
  let alarm: boolean;
  let judged = n;
  let needed = m;
  switch (missing === 0 ? 'complete' : rule.treatMissingData) {
    case 'complete':
    case 'notBreaching':
      alarm = breaching.length >= m;
      break;
    case 'breaching':
      alarm = breaching.length + missing >= m;
      break;
    case 'missing':
      judged = recent.length;
      needed = Math.min(m, recent.length);
      alarm = breaching.length >= needed;
      break;
    default: {
      // ignore: a state only when the gaps cannot change the outcome.
      if (breaching.length >= m) alarm = true;
      else if (breaching.length + missing < m) alarm = false;
      else return undefined;
    }
  }
  const state: StateValue = alarm ? 'ALARM' : 'OK';
  const reason = (): string => {
    const shown = alarm ? breaching : fine;
    const list = `[${[...shown].reverse().map((p) => `${javaDouble(p.value)} (${reasonTime(p.timestamp)})`).join(', ')}]`;
    const words = `${alarm ? '' : 'not '}${WORDS[rule.comparison]} the threshold (${javaDouble(rule.threshold)})`;
    if (judged === 1) return `Threshold Crossed: 1 datapoint ${list} was ${words}.`;
    const minimum = alarm ? needed : judged - needed + 1;
    const from = input.current === state ? (alarm ? 'OK' : 'ALARM') : input.current;
    return (
      `Threshold Crossed: ${shown.length} out of the last ${judged} datapoints ${list} ${shown.length === 1 ? 'was' : 'were'} ${words} ` +
      `(minimum ${plural(minimum, 'datapoint')} for ${from} -> ${state} transition).`
    );
  };
  return verdict(state, reason, reasonData);
}
