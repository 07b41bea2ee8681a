/**
 * Holds the traffic counted since the last published period: every reading of the worker's
 * counters (each period's, and one just before each reload, since the new worker starts from
 * zero and the old one's last counts would otherwise be lost) adds its differences here, and
 * `flush` turns them into the period's metrics and starts the next period.
 */
import type { ProxyConfig, ProxyTargetGroup } from './proxy-config.js';
import { parseStatReading, type ProxyCounters, type StatReading } from './haproxy-stats.js';
import { accumulate, advanceCounters, type CounterState, initialCounterState } from './traffic-counters.js';
import { type HostCounts, trafficMetrics } from './traffic-metrics.js';
import type { LoadBalancerMetricBatch } from './metrics-port.js';

/** The runtime API command whose answer a reading parses. */
export const STATS_COMMAND = 'show info;show stat';

export class TrafficSampler {
  private state: CounterState | undefined;
  private readonly pending = new Map<string, ProxyCounters>();
  private latest: StatReading | undefined;

  /** `fresh`: HAProxy was started by this process, so its first worker's counts are all new. */
  constructor(fresh: boolean) {
    this.state = initialCounterState(fresh);
  }

  /** A new HAProxy was started (not a reload): its first worker counts from zero. */
  started(): void {
    this.state = initialCounterState(true);
  }

  /** HAProxy stopped serving (no listener left): nothing to read until it starts again. */
  stopped(): void {
    this.latest = undefined;
  }

  /** Adds one answer of {@link STATS_COMMAND}; an answer that cannot be read is ignored. */
  read(answer: string): void {
    const reading = parseStatReading(answer);
    if (!reading) return;
    const { state, deltas } = advanceCounters(this.state, reading);
    this.state = state;
    accumulate(this.pending, deltas);
    this.latest = reading;
  }

  /** The period's metrics, and a new period begins. */
  flush(config: ProxyConfig, hosts: (group: ProxyTargetGroup) => HostCounts, timestamp: number): LoadBalancerMetricBatch[] {
    const batches = trafficMetrics(config, this.pending, this.latest, hosts, timestamp);
    this.pending.clear();
    return batches;
  }
}
