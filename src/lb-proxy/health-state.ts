/**
 * ELB's health state machine of one target, pure: consecutive results against the healthy and
 * unhealthy thresholds, and the reason code and description of an unhealthy target.
 */
import type { ObservedTargetHealth } from './proxy-config.js';
import type { HealthState } from './serving.js';
import type { ProbeResult } from './health-probe.js';

/** One target's health and the run of results that leads to the next change. */
export interface HealthRecord {
  state: HealthState;
  reason?: ObservedTargetHealth['reason'];
  description?: string;
  since: Date;
  successes: number;
  failures: number;
}

/** A target just registered. */
export function initialHealth(now: Date): HealthRecord {
  return { state: 'initial', since: now, successes: 0, failures: 0 };
}

/** The record after one more check result. */
export function nextHealth(
  record: HealthRecord,
  result: ProbeResult,
  thresholds: { healthy: number; unhealthy: number },
  now: Date,
): HealthRecord {
  if (result.ok) {
    const successes = record.successes + 1;
    if (record.state !== 'healthy' && successes >= thresholds.healthy) {
      return { state: 'healthy', since: now, successes, failures: 0 };
    }
    return { ...record, successes, failures: 0 };
  }
  const failures = record.failures + 1;
  const why = failureReason(result);
  if (record.state === 'unhealthy') {
    // Still unhealthy: the reason follows the latest failure, the state keeps its start.
    return { ...record, ...why, failures, successes: 0 };
  }
  if (failures >= thresholds.unhealthy) return { state: 'unhealthy', ...why, since: now, successes: 0, failures };
  return { ...record, failures, successes: 0 };
}

function failureReason(result: Exclude<ProbeResult, { ok: true }>): Pick<HealthRecord, 'reason' | 'description'> {
  switch (result.failure) {
    case 'status':
      return { reason: 'Target.ResponseCodeMismatch', description: `Health checks failed with these codes: [${result.code}]` };
    case 'timeout':
      return { reason: 'Target.Timeout', description: 'Request timed out' };
    case 'connection':
      return { reason: 'Target.FailedHealthChecks', description: 'Health checks failed' };
  }
}
