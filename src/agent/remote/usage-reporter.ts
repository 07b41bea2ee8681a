import { hostname } from 'node:os';
import type { LogSink } from '../../agent-contract/ports.js';
import type { TaskLaunchSpec } from '../../agent-contract/task-contract.js';
import { hostSampleReader } from '../insights/container-samples.js';
import { InsightsSampler } from '../insights/insights-sampler.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { ControlClient } from './control-client.js';

/** What an agent's usage reporting reads and where it sends it. */
export interface UsageReporterDeps {
  client: Pick<ControlClient, 'usage'>;
  /** The instance's ARN once joined (throws before). */
  instanceArn(): string;
  tasks(): readonly TaskLaunchSpec[];
  runtime: Pick<ContainerRuntime, 'stats' | 'status'>;
  /** Where Container Insights' performance events go (the control plane's log store). */
  logs: LogSink;
  intervalMs: number;
  onError(err: unknown): void;
}

/**
 * An agent's side of the ECS metrics: every period it measures its tasks as the control host
 * measures its own, reports the use to the control plane (which publishes AWS/ECS and
 * ECS/ContainerInsights metrics over every host's tasks), and writes Container Insights'
 * performance events for the clusters the control plane said have it on. Returns the stop function.
 */
export function startUsageReporter(deps: UsageReporterDeps): () => Promise<void> {
  // Learned from each report's answer: the first readings write no events (a container's first
  // reading is only a baseline anyway; the first report follows the second reading).
  let insightsClusters = new Set<string>();
  const sampler = new InsightsSampler({
    tasks: deps.tasks,
    read: hostSampleReader(deps.runtime),
    insightsEnabled: async (_region, clusterArn) => insightsClusters.has(clusterArn),
    sink: deps.logs,
    usage: async (tasks, timestamp, since) => {
      const answer = await deps.client.usage({ containerInstanceArn: deps.instanceArn(), timestamp, ...(since !== undefined && { since }), tasks: [...tasks] });
      insightsClusters = new Set(answer.insightsClusters);
    },
    hostId: hostname(),
  });
  return sampler.start(deps.intervalMs, deps.onError);
}
