/**
 * The ports Application Auto Scaling acts through. The composition root passes the real ones:
 * CloudWatch's alarms, and the ECS service scheduler's desired count.
 */
import type { Scope } from '../lib/scope.js';
import type { AlarmSpec } from './plan/tracking-alarms.js';

/** CloudWatch alarms: a target tracking policy creates and deletes its own. */
export interface Alarms {
  /** Creates or replaces the alarm (PutMetricAlarm semantics); answers its ARN. */
  put(scope: Scope, alarm: AlarmSpec): Promise<string>;
  /** Deletes the alarms named; names that do not exist are ignored. */
  delete(scope: Scope, names: readonly string[]): Promise<void>;
}

/** What the scaling decision needs to know of an ECS service. */
export interface EcsServiceState {
  desiredCount: number;
  runningCount: number;
  /** A deployment is rolling out (more than one deployment, or the primary not yet steady): scale-in waits. */
  deploymentInProgress: boolean;
}

/** The ECS service a target scales. */
export interface EcsServiceTarget {
  /** The service's counts, or undefined when it does not exist (or is not ACTIVE). */
  describe(scope: Scope, cluster: string, service: string): Promise<EcsServiceState | undefined>;
  /** Sets the desired count, as UpdateService does. Setting the same count again is harmless. */
  setDesiredCount(scope: Scope, cluster: string, service: string, count: number, cause: string): Promise<void>;
}

/** An alarm's state change, as the alarm evaluator reports it to the policy named in its actions. */
export interface AlarmStateChange {
  /** The alarm's name. */
  name: string;
  /** The alarm's ARN. */
  arn: string;
  /** ALARM, OK or INSUFFICIENT_DATA. Only ALARM scales. */
  newState: string;
  /**
   * The datapoints the alarm evaluated, oldest first. When absent, `reasonData` (CloudWatch's
   * StateReasonData JSON: `recentDatapoints`, `threshold`) is read instead.
   */
  metricValues?: number[];
  /** The alarm's threshold; taken from the policy's own alarm or `reasonData` when absent. */
  threshold?: number;
  /** CloudWatch's StateReasonData JSON. */
  reasonData?: string;
}
