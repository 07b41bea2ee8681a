import type {
  DeleteMetricFilterRequest,
  DescribeMetricFiltersRequest,
  MetricFilter,
  PutMetricFilterRequest,
  TestMetricFilterRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import { invalidParameter } from '../../lib/errors.js';
import type { LogService, MetricTransformationInput } from '../../logstore/log-service.js';
import type { MetricFilterRecord } from '../../logstore/log-store.js';
import type { OperationHandler } from '../../server/service.js';

/** The wire MetricFilter. */
function filterWire(filter: MetricFilterRecord): MetricFilter {
  const t = filter.transformation;
  return {
    filterName: filter.name,
    filterPattern: filter.pattern,
    metricTransformations: [
      {
        metricName: t.metricName,
        metricNamespace: t.metricNamespace,
        metricValue: t.metricValue,
        ...(t.defaultValue !== undefined && { defaultValue: t.defaultValue }),
        ...(t.dimensions !== undefined && { dimensions: { ...t.dimensions } }),
        ...(t.unit !== undefined && { unit: t.unit as never }),
      },
    ],
    creationTime: filter.createdAt,
    logGroupName: filter.groupName,
  };
}

/** Handlers of the metric filter operations. */
export function metricFilterHandlers(logs: LogService): Record<string, OperationHandler> {
  return {
    // The model holds metricTransformations to exactly one item.
    async PutMetricFilter(input: PutMetricFilterRequest, { scope }) {
      const t = input.metricTransformations![0]!;
      // Log transformers and system field dimensions are not implemented: refused rather than ignored.
      if (input.applyOnTransformedLogs) throw invalidParameter('applyOnTransformedLogs requires a log transformer, which this log group does not have.');
      if (input.fieldSelectionCriteria) throw invalidParameter('fieldSelectionCriteria is not supported.');
      if (input.emitSystemFieldDimensions?.length) throw invalidParameter('emitSystemFieldDimensions is not supported.');
      const transformation: MetricTransformationInput = {
        metricName: t.metricName!,
        metricNamespace: t.metricNamespace!,
        metricValue: t.metricValue!,
        ...(t.defaultValue !== undefined && t.defaultValue !== null && { defaultValue: t.defaultValue }),
        ...(t.dimensions !== undefined && Object.keys(t.dimensions).length > 0 && { dimensions: t.dimensions }),
        ...(t.unit !== undefined && { unit: t.unit }),
      };
      await logs.metricFilters.put(scope, {
        groupName: input.logGroupName!,
        name: input.filterName!,
        pattern: input.filterPattern!,
        transformation,
      });
      return {};
    },
    async DescribeMetricFilters(input: DescribeMetricFiltersRequest, { scope }) {
      const page = await logs.metricFilters.describe(scope, {
        ...(input.logGroupName !== undefined && { groupName: input.logGroupName }),
        ...(input.filterNamePrefix !== undefined && { prefix: input.filterNamePrefix }),
        ...(input.metricName !== undefined && { metricName: input.metricName }),
        ...(input.metricNamespace !== undefined && { metricNamespace: input.metricNamespace }),
        ...(input.limit !== undefined && { limit: input.limit }),
        ...(input.nextToken !== undefined && { nextToken: input.nextToken }),
      });
      return { metricFilters: page.items.map(filterWire), ...(page.nextToken && { nextToken: page.nextToken }) };
    },
    async DeleteMetricFilter(input: DeleteMetricFilterRequest, { scope }) {
      await logs.metricFilters.delete(scope, input.logGroupName!, input.filterName!);
      return {};
    },
    async TestMetricFilter(input: TestMetricFilterRequest) {
      return { matches: logs.metricFilters.test(input.filterPattern!, input.logEventMessages!) };
    },
  };
}
