import type { GetMetricDataInput, GetMetricStatisticsInput, ListMetricsInput, PutMetricDataInput } from './wire.js';
import { invalidParameter } from '../../lib/errors.js';
import { decodeToken, encodeToken } from '../../lib/pagination.js';
import { getMetricData, invalidNextToken, type DataRequest } from '../../metrics/metric-data.js';
import type { MetricService, PutRequest, StatisticsRequest } from '../../metrics/metric-service.js';
import type { OperationHandler } from '../../server/service.js';

const LIST_TOKEN = 'ListMetrics';

/** The handlers of CloudWatch's metric operations: wire ⇄ the metric service. */
export function metricHandlers(metrics: MetricService): Record<string, OperationHandler> {
  return {
    async PutMetricData(input: PutMetricDataInput, { scope }) {
      // Entity data links metrics to other telemetry, which this endpoint does not keep: refused,
      // not dropped, so that a caller does not believe it was stored.
      if (input.EntityMetricData !== undefined) {
        throw invalidParameter('The parameter EntityMetricData is not supported by this endpoint; send MetricData instead.');
      }
      await metrics.putGrouped(scope, input as PutRequest);
      return {};
    },

    async GetMetricStatistics(input: GetMetricStatisticsInput, { scope }) {
      const datapoints = await metrics.statistics(scope, input as StatisticsRequest);
      return { Label: input.MetricName, Datapoints: datapoints };
    },

    async ListMetrics(input: ListMetricsInput, { scope }) {
      if (input.IncludeLinkedAccounts === true) {
        throw invalidParameter('The parameter IncludeLinkedAccounts is not supported by this endpoint: it serves one account.');
      }
      if (input.OwningAccount !== undefined && input.OwningAccount !== scope.accountId) {
        throw invalidParameter(`The value ${input.OwningAccount} for parameter OwningAccount is invalid: this endpoint serves account ${scope.accountId} only.`);
      }
      const afterId = listPosition(input.NextToken);
      const page = await metrics.list(scope, {
        ...(input.Namespace !== undefined && { Namespace: input.Namespace }),
        ...(input.MetricName !== undefined && { MetricName: input.MetricName }),
        ...(input.Dimensions !== undefined && { Dimensions: input.Dimensions }),
        ...(input.RecentlyActive !== undefined && { RecentlyActive: input.RecentlyActive }),
        ...(afterId !== undefined && { afterId }),
      });
      const last = page.metrics[page.metrics.length - 1];
      return {
        Metrics: page.metrics.map((m) => ({ Namespace: m.namespace, MetricName: m.metricName, Dimensions: m.dimensions })),
        ...(page.more && last && { NextToken: encodeToken(LIST_TOKEN, String(last.id)) }),
      };
    },

    async GetMetricData(input: GetMetricDataInput, { scope }) {
      const { results, nextToken } = await getMetricData(metrics, scope, input as DataRequest);
      return { MetricDataResults: results, Messages: [], ...(nextToken && { NextToken: nextToken }) };
    },
  };
}

function listPosition(token: string | undefined): number | undefined {
  let id: number;
  try {
    const key = decodeToken(LIST_TOKEN, token);
    if (key === undefined) return undefined;
    id = Number(key);
  } catch {
    throw invalidNextToken();
  }
  if (!Number.isSafeInteger(id)) throw invalidNextToken();
  return id;
}
