import type { Logger } from 'pino';
import type { LoadBalancerMetricSink } from '../lb-proxy/metrics-port.js';
import { rootPrincipal } from '../lib/scope.js';
import type { DatumInput } from '../metrics/datum-rules.js';
import { MAX_DATA_PER_PUT, type MetricService } from '../metrics/metric-service.js';

/**
 * The load balancers' traffic metrics go through the metric service's PutMetricData path (their
 * AWS/ namespaces allowed, as ELB's own), so GetMetricData, ListMetrics and alarms — target
 * tracking's ALBRequestCountPerTarget pair among them — see them as any metric.
 */
export function loadBalancerMetricSink(metrics: MetricService, logger: Logger): LoadBalancerMetricSink {
  return (batches) => {
    for (const batch of batches) {
      const scope = { accountId: batch.accountId, region: batch.region, principalArn: rootPrincipal(batch.accountId), now: new Date(batch.timestamp) };
      const wire: DatumInput[] = batch.data.map((d) => ({
        MetricName: d.metricName,
        Dimensions: d.dimensions.map((x) => ({ Name: x.name, Value: x.value })),
        Timestamp: batch.timestamp / 1000,
        Unit: d.unit,
        ...(d.statistics
          ? { StatisticValues: { SampleCount: d.statistics.sampleCount, Sum: d.statistics.sum, Minimum: d.statistics.minimum, Maximum: d.statistics.maximum } }
          : { Value: d.value ?? 0 }),
      }));
      for (let i = 0; i < wire.length; i += MAX_DATA_PER_PUT) {
        metrics
          .put(scope, { Namespace: batch.namespace, MetricData: wire.slice(i, i + MAX_DATA_PER_PUT), allowReserved: true })
          .catch((err: unknown) => logger.warn({ err, namespace: batch.namespace }, 'load balancer metrics could not be published'));
      }
    }
  };
}
