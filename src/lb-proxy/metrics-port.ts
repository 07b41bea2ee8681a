/**
 * What the data plane publishes about its traffic, and the port it publishes through. The data
 * plane knows nothing of CloudWatch: the platform hands it a sink that turns these batches into
 * metric data (AWS/ApplicationELB, AWS/NetworkELB).
 */

/** One datum: a single value, or a statistic set over several samples. */
export interface LoadBalancerDatum {
  metricName: string;
  dimensions: Array<{ name: string; value: string }>;
  unit: 'Count' | 'Seconds' | 'Bytes';
  value?: number;
  statistics?: { sampleCount: number; sum: number; minimum: number; maximum: number };
}

/** The data of one account and region's load balancers of one type, for one period. */
export interface LoadBalancerMetricBatch {
  accountId: string;
  region: string;
  namespace: 'AWS/ApplicationELB' | 'AWS/NetworkELB';
  /** Epoch milliseconds: the end of the period. */
  timestamp: number;
  data: LoadBalancerDatum[];
}

/** Receives each period's batches; it must not throw for a datum it cannot take. */
export type LoadBalancerMetricSink = (batches: readonly LoadBalancerMetricBatch[]) => void;
