import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskUsage } from '../agent/insights/insights-sampler.js';
import type { EcsControl } from '../control/ecs-control.js';
import { openMetricService, type MetricService } from '../metrics/metric-service.js';
import { ecsMetricsPublisher } from './ecs-metrics.js';

const ACCOUNT = '000000000000';
const CLUSTER_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/prod`;
const TASK_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/prod/abc`;
const MINUTE = Date.UTC(2026, 11, 6, 18, 0);

const opened: MetricService[] = [];
afterEach(async () => {
  for (const m of opened.splice(0)) await m.close();
});

const usage: TaskUsage = {
  taskArn: TASK_ARN,
  clusterArn: CLUSTER_ARN,
  region: 'us-east-1',
  cpuUnits: 96,
  memoryMiB: 32,
  cpuReserved: 128,
  memoryReserved: 128,
  family: 'web',
  insights: false,
};

describe('ecsMetricsPublisher', () => {
  it('puts a reading taken at a minute’s end in the minute it measured', async () => {
    const metrics = openMetricService(':memory:');
    opened.push(metrics);
    const ecs = { tasks: { describe: async () => ({ found: [{ taskArn: TASK_ARN, group: 'service:web' }] }) } } as unknown as Pick<EcsControl, 'tasks'>;
    const publish = ecsMetricsPublisher(ecs, metrics, ACCOUNT, pino({ level: 'silent' }));
    // Measured from 18:00:00.01 to 18:01:00.02: the minute of 18:00.
    await publish([usage], MINUTE + 60_020, MINUTE + 10);
    const scope = { accountId: ACCOUNT, region: 'us-east-1', principalArn: `arn:aws:iam::${ACCOUNT}:root`, now: new Date(MINUTE + 61_000) };
    const points = await metrics.statistics(scope, {
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      Dimensions: [
        { Name: 'ClusterName', Value: 'prod' },
        { Name: 'ServiceName', Value: 'web' },
      ],
      StartTime: (MINUTE - 60_000) / 1000,
      EndTime: (MINUTE + 120_000) / 1000,
      Period: 60,
      Statistics: ['Average'],
    });
    expect(points).toEqual([{ Timestamp: MINUTE / 1000, Unit: 'Percent', Average: 75 }]);
  });
});
