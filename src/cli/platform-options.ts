import type { ApplicationAutoScaling } from '../autoscaling/application-autoscaling.js';
import type { Alarms } from '../autoscaling/ports.js';
import type { RemoteAgents } from '../agent-gateway/remote-agents.js';
import type { ContainerInstanceRegistry } from '../control/container-instances/container-instance.js';
import type { Upstream } from '../dns/forwarder.js';
import type { Store } from '../store/store.js';
import type { LeaseOptions } from './leadership.js';

/** A running platform. */
export interface Platform {
  /** The endpoint URL, e.g. http://127.0.0.1:4566. */
  endpoint: string;
  /**
   * Stops accepting requests, finishes those in flight and closes the store. Tasks keep running:
   * their containers outlive the platform and are adopted when it starts again.
   */
  close(): Promise<void>;
  /** Stops every task this platform runs (tests use it to leave nothing behind). */
  stopAllTasks(): Promise<void>;
  /** The agent tasks go through: the control host's own, or a container instance's (tests launch through it). */
  agents: RemoteAgents;
  /** The document store (tests seed records through it). */
  store: Store;
  /** Application Auto Scaling: the alarm evaluator calls `autoscaling.executor.executePolicy`. */
  autoscaling: ApplicationAutoScaling;
}

/** Options a test or an embedding program may set beyond the configuration. */
export interface PlatformOptions {
  /** The metadata endpoint's port on the task bridge gateway. */
  metadataPort?: number;
  /** How often Container Insights samples running tasks and the AWS/ECS and ECS/ContainerInsights metrics are published (default: once a minute, as ECS). */
  insightsIntervalMs?: number;
  /** How often the load balancers' metrics are published (default: once a minute, as ELB); tests shorten it. */
  loadBalancerMetricsIntervalMs?: number;
  /** How often the service scheduler reconciles every service (ms); default 1 s. */
  serviceTickMs?: number;
  /** The container instances remote agents register as (default: the control plane's own). */
  instances?: ContainerInstanceRegistry;
  /** An agent not heard from for this long is marked disconnected (default 2 minutes). */
  agentDisconnectTimeoutMs?: number;
  /** The CloudWatch alarms target tracking policies create (default: the platform's own). */
  alarms?: Alarms;
  /** How often scheduled scaling actions are checked (ms); default 5 s. */
  autoscalingTickMs?: number;
  /** The resolvers the task DNS server forwards to (default: the host's /etc/resolv.conf). */
  dnsUpstreams?: () => Promise<readonly Upstream[]>;
  /** Milliseconds per second of SNS's retry delays (default 1000); tests shorten them. */
  snsDelayUnitMs?: number;
  /**
   * How often the alarm scheduler wakes (ms; default 10 s, CloudWatch's sub-minute round). Periods
   * and the once-a-minute full round keep CloudWatch's clock; a shorter tick only runs each round
   * sooner after its period ends, which tests use to wait less.
   */
  alarmTickMs?: number;
  /** How often secret rotations are driven and their schedules checked (ms); default 5 s. */
  rotationTickMs?: number;
  /** The delay before a failed secret rotation is tried again (ms); default 10 minutes. */
  rotationRetryDelayMs?: number;
  /** The leader lease on a PostgreSQL store (default: 5 s, renewed every second). */
  lease?: LeaseOptions;
}
