import { alarmPeriod } from './alarm-data.js';
import type { Alarm, HistoryItem } from './alarm-types.js';

/** Which history items a DescribeAlarmHistory wants (times in epoch ms). */
export interface HistoryQuery {
  readonly region: string;
  readonly name?: string;
  readonly kinds?: readonly string[];
  readonly type?: string;
  readonly from?: number;
  readonly to?: number;
  readonly ascending: boolean;
  /** Resume after this history id. */
  readonly afterId?: number;
  readonly limit: number;
}

/** How long history is kept (CloudWatch: 30 days). */
export const HISTORY_MS = 30 * 24 * 3600_000;

/** Whether the 10-second rounds evaluate an alarm: a metric alarm whose period is under a minute (1) or not (0). */
export const isFast = (a: Alarm): number => (a.kind === 'MetricAlarm' && alarmPeriod(a) < 60 ? 1 : 0);

/** A history item with the region of its alarm. */
export type HistoryItemOf = HistoryItem & { region: string };

/** What an edit writes: alarms to save, history items to add, alarms to remove. */
export interface AlarmWrite {
  readonly alarms?: readonly Alarm[];
  readonly history?: readonly HistoryItemOf[];
  readonly removed?: ReadonlyArray<{ region: string; name: string }>;
}

/** Given the named alarms that exist, what to write; synchronous, and may throw to write nothing. */
export type AlarmEdit = (found: ReadonlyMap<string, Alarm>) => AlarmWrite;

/**
 * Where alarms and their history live, beside the metrics (the same database). An alarm is one
 * record (configuration and state) keyed by region and name; its state is written with the
 * history item that tells its change, in one transaction, so both survive a restart. History
 * outlives a deleted alarm, as CloudWatch keeps it. Asynchronous, as the MetricStore.
 */
export interface AlarmStore {
  get(region: string, name: string): Promise<Alarm | undefined>;
  /** The region's alarms in name order. */
  ofRegion(region: string): Promise<Alarm[]>;
  /** Every alarm of every region (the evaluator's round). */
  all(): Promise<Alarm[]>;
  /** The metric alarms whose period is under a minute. */
  subMinute(): Promise<Alarm[]>;
  /** Writes alarms, history items and removals in one transaction. */
  write(alarms: readonly Alarm[], history: readonly HistoryItemOf[], removed?: ReadonlyArray<{ region: string; name: string }>): Promise<void>;
  /**
   * Reads the named alarms of a region and writes what `edit` makes of them, in one transaction
   * (no other edit of those alarms in between): a read-modify-write that loses no concurrent change.
   */
  edit(region: string, names: readonly string[], edit: AlarmEdit): Promise<void>;
  /** History items in id order (descending unless `ascending`). */
  history(q: HistoryQuery): Promise<Array<HistoryItem & { id: number }>>;
  /** Deletes history older than `before` (epoch ms); returns how many items. */
  expireHistory(before: number): Promise<number>;
}
