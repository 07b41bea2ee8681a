import type { Logger } from 'pino';
import { rootPrincipal } from '../lib/scope.js';
import type { MetricSink } from '../logstore/log-service.js';
import { MAX_DATA_PER_PUT, type MetricService } from '../metrics/metric-service.js';

/**
 * CloudWatch Logs' metric filters publish through the metric service's PutMetricData path, so
 * their metrics are read, listed and alarmed on as any other. A datum the metric service refuses
 * (an event older than metrics accept, say) is logged: ingestion never fails for a metric.
 */
export function logMetricSink(metrics: MetricService, logger: Logger): MetricSink {
  return {
    publish(target, namespace, data) {
      const scope = { accountId: target.accountId, region: target.region, principalArn: rootPrincipal(target.accountId), now: new Date() };
      const wire = data.map((d) => ({
        MetricName: d.metricName,
        Value: d.value,
        Timestamp: d.timestamp / 1000,
        ...(d.unit !== undefined && { Unit: d.unit }),
        ...(d.dimensions.length > 0 && { Dimensions: d.dimensions.map((x) => ({ Name: x.name, Value: x.value })) }),
      }));
      for (let i = 0; i < wire.length; i += MAX_DATA_PER_PUT) {
        metrics
          .put(scope, { Namespace: namespace, MetricData: wire.slice(i, i + MAX_DATA_PER_PUT) })
          .catch((err: unknown) => logger.warn({ err, namespace }, 'metric filter data could not be published'));
      }
    },
  };
}
