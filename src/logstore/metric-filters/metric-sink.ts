/**
 * The port through which metric filters publish: CloudWatch metrics live in another service
 * (`metrics/`), which `cli/` wires behind this. Publishing must not fail ingestion, so a sink
 * reports its own errors rather than throwing.
 */
export interface MetricSink {
  publish(target: { readonly accountId: string; readonly region: string }, namespace: string, data: readonly MetricDatum[]): void;
}

/** One datapoint a metric filter emits. */
export interface MetricDatum {
  readonly metricName: string;
  readonly value: number;
  /** The log event's timestamp, epoch milliseconds. */
  readonly timestamp: number;
  readonly unit?: string;
  readonly dimensions: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}
