import { DomainError, ErrorKind, failedPrecondition, invalidParameter } from '../../lib/errors.js';
import { decodeToken, encodeToken, type Page } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import { compileFilterPattern, type CompiledPattern } from '../filter/filter-pattern.js';
import { DESCRIBE_LIMIT } from '../limits.js';
import type { LogGroups } from '../log-groups.js';
import type { LogGroupRecord, LogStore, MetricFilterRecord, NewLogEvent } from '../log-store.js';
import { groupNotFound } from '../names.js';
import type { MetricDatum, MetricSink } from './metric-sink.js';
import { checkTransformation, evaluateTransformation, type MetricTransformationInput, type Transformation } from './transformation.js';

/** At most this many metric filters per log group. */
export const MAX_METRIC_FILTERS_PER_GROUP = 100;
/** TestMetricFilter: at most this many messages. */
const MAX_TEST_MESSAGES = 50;
const LISTING = 'DescribeMetricFilters';
const MINUTE = 60_000;

/** The position a token resumes after: a group name (which has no newline), a newline, a filter name. */
function resumeAfter(key: string): { groupName: string; name: string } {
  const cut = key.indexOf('\n');
  if (cut < 0) throw invalidParameter('Invalid nextToken value.');
  return { groupName: key.slice(0, cut), name: key.slice(cut + 1) };
}

/** PutMetricFilter's input. */
export interface PutMetricFilterInput {
  readonly groupName: string;
  readonly name: string;
  readonly pattern: string;
  readonly transformation: MetricTransformationInput;
}

/** DescribeMetricFilters' filters and paging. */
export interface DescribeMetricFiltersInput {
  readonly groupName?: string;
  readonly prefix?: string;
  readonly metricName?: string;
  readonly metricNamespace?: string;
  readonly limit?: number;
  readonly nextToken?: string;
}

/** One match of TestMetricFilter. */
export interface TestMatch {
  readonly eventNumber: number;
  readonly eventMessage: string;
  readonly extractedValues: Record<string, string>;
}

interface ActiveFilter {
  readonly record: MetricFilterRecord;
  readonly pattern: CompiledPattern;
  readonly transformation: Transformation;
}

/**
 * Metric filters: stored per log group in the log store, compiled once and cached per group, and
 * applied to every batch as it is ingested, so only events ingested after a filter exists count.
 * Matching events become datapoints at the event's timestamp, published through the MetricSink.
 */
export class MetricFilters {
  /**
   * Compiled filters per group id. The entry is the load's promise, set before the load begins:
   * a put or delete that lands while a load is under way removes the entry, so the next batch
   * loads again instead of keeping what the older load read.
   */
  private readonly active = new Map<number, Promise<readonly ActiveFilter[]>>();

  constructor(
    private readonly store: LogStore,
    private readonly groups: LogGroups,
    private readonly sink?: MetricSink,
  ) {}

  /** PutMetricFilter: creates or replaces a filter; LimitExceeded past 100 per group. */
  async put(scope: Scope, input: PutMetricFilterInput): Promise<void> {
    const group = await this.groups.require(scope, input.groupName);
    if (group.logGroupClass !== 'STANDARD') {
      throw failedPrecondition('log-group-class', 'Metric filters are supported only for log groups in the Standard log class.');
    }
    compileFilterPattern(input.pattern);
    checkTransformation(input.pattern, input.transformation);
    // The store counts and writes in one transaction: two puts at once cannot both take the last place.
    const stored = await this.store.putMetricFilter(
      {
        groupId: group.id,
        name: input.name,
        pattern: input.pattern,
        transformation: input.transformation,
        createdAt: scope.now.getTime(),
      },
      MAX_METRIC_FILTERS_PER_GROUP,
    );
    this.active.delete(group.id);
    if (!stored) throw new DomainError(ErrorKind.LimitExceeded, 'Resource limit exceeded.', 'metric-filters');
  }

  /** DeleteMetricFilter; ResourceNotFound for a missing group or filter. */
  async delete(scope: Scope, groupName: string, name: string): Promise<void> {
    const group = await this.groups.require(scope, groupName);
    const deleted = await this.store.deleteMetricFilter(group.id, name);
    this.active.delete(group.id);
    if (!deleted) throw new DomainError(ErrorKind.NotFound, 'The specified metric filter does not exist.', 'metric-filter');
  }

  /** One page of metric filters, in (group name, filter name) order. */
  async describe(scope: Scope, input: DescribeMetricFiltersInput): Promise<Page<MetricFilterRecord>> {
    if ((input.metricName === undefined) !== (input.metricNamespace === undefined)) {
      throw invalidParameter('If you include the metricName parameter in your request, you must also include the metricNamespace parameter.');
    }
    let groupId: number | undefined;
    if (input.groupName !== undefined) {
      const group = await this.groups.find(scope, input.groupName);
      if (!group) throw groupNotFound();
      groupId = group.id;
    }
    const limit = input.limit ?? DESCRIBE_LIMIT;
    const after = decodeToken(LISTING, input.nextToken);
    const rows = await this.store.metricFilters({
      region: scope.region,
      ...(groupId !== undefined && { groupId }),
      // As in CloudWatch Logs, the prefix applies only together with a log group name.
      ...(input.prefix !== undefined && groupId !== undefined && { prefix: input.prefix }),
      ...(input.metricName !== undefined && { metricName: input.metricName }),
      ...(input.metricNamespace !== undefined && { metricNamespace: input.metricNamespace }),
      ...(after !== undefined && { after: resumeAfter(after) }),
      limit: limit + 1,
    });
    if (rows.length <= limit) return { items: rows };
    const items = rows.slice(0, limit);
    const last = items[items.length - 1]!;
    return { items, nextToken: encodeToken(LISTING, `${last.groupName}\n${last.name}`) };
  }

  /** TestMetricFilter: the messages the pattern matches (numbered from 1) with their extracted values. */
  test(pattern: string, messages: readonly string[]): TestMatch[] {
    if (messages.length > MAX_TEST_MESSAGES) throw invalidParameter(`logEventMessages can have at most ${MAX_TEST_MESSAGES} messages.`);
    const compiled = compileFilterPattern(pattern);
    const matches: TestMatch[] = [];
    messages.forEach((message, i) => {
      const extractedValues = compiled.extract(message);
      if (extractedValues) matches.push({ eventNumber: i + 1, eventMessage: message, extractedValues });
    });
    return matches;
  }

  /**
   * Applies the group's filters to a batch just stored. A matching event yields a datapoint at
   * its timestamp; a filter with a default value (and no dimensions, whose values only a match
   * has) reports it for each minute in which the batch had events but none matched, which is
   * what CloudWatch Logs documents for the default value.
   */
  async observe(scope: Scope, group: LogGroupRecord, events: readonly NewLogEvent[]): Promise<void> {
    if (!this.sink || events.length === 0 || group.metricFilterCount === 0) return;
    const byNamespace = new Map<string, MetricDatum[]>();
    for (const filter of await this.filtersOf(group)) {
      const t = filter.record.transformation;
      const matchedMinutes = new Set<number>();
      const seenMinutes = new Set<number>();
      const out = byNamespace.get(t.metricNamespace) ?? byNamespace.set(t.metricNamespace, []).get(t.metricNamespace)!;
      for (const event of events) {
        const minute = Math.floor(event.timestamp / MINUTE) * MINUTE;
        seenMinutes.add(minute);
        const fields = filter.pattern.extract(event.message);
        if (!fields) continue;
        matchedMinutes.add(minute);
        const result = evaluateTransformation(filter.transformation, event.message, fields);
        if (!result) continue;
        out.push({
          metricName: t.metricName,
          value: result.value,
          timestamp: event.timestamp,
          ...(t.unit !== undefined && { unit: t.unit }),
          dimensions: result.dimensions,
        });
      }
      if (t.defaultValue !== undefined && filter.transformation.dimensions.length === 0) {
        for (const minute of seenMinutes) {
          if (matchedMinutes.has(minute)) continue;
          out.push({ metricName: t.metricName, value: t.defaultValue, timestamp: minute, ...(t.unit !== undefined && { unit: t.unit }), dimensions: [] });
        }
      }
    }
    for (const [namespace, data] of byNamespace) {
      if (data.length > 0) this.sink.publish({ accountId: scope.accountId, region: group.region }, namespace, data);
    }
  }

  private filtersOf(group: LogGroupRecord): Promise<readonly ActiveFilter[]> {
    let filters = this.active.get(group.id);
    if (!filters) {
      const load = this.store
        .metricFilters({ region: group.region, groupId: group.id, limit: MAX_METRIC_FILTERS_PER_GROUP * 2 })
        .then((records) =>
          records.map((record) => ({
            record,
            pattern: compileFilterPattern(record.pattern),
            transformation: checkTransformation(record.pattern, record.transformation),
          })),
        );
      // A failed load is not kept: the next batch tries again.
      load.catch(() => {
        if (this.active.get(group.id) === load) this.active.delete(group.id);
      });
      this.active.set(group.id, load);
      filters = load;
    }
    return filters;
  }
}
