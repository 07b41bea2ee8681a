import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insightsCountData, insightsTaskData, type InsightsTaskUse } from './container-insights.js';

const task = (extra: Partial<InsightsTaskUse>): InsightsTaskUse => ({
  clusterName: 'prod',
  family: 'web',
  cpuUtilized: 100,
  cpuReserved: 256,
  memoryUtilized: 20,
  memoryReserved: 512,
  ...extra,
});
const dimsOf = (d: { Dimensions?: ReadonlyArray<{ Name: string; Value: string }> }) => (d.Dimensions ?? []).map((x) => `${x.Name}=${x.Value}`).join(',');

describe('ECS/ContainerInsights task metrics', () => {
  it('are statistic sets over the tasks by cluster, by service and by task family, with the documented units', () => {
    const data = insightsTaskData(
      [
        task({ serviceName: 'api', networkRxBytes: 100, networkTxBytes: 50, storageReadBytes: 4096, storageWriteBytes: 0 }),
        task({ serviceName: 'api', cpuUtilized: 300, networkRxBytes: 300, networkTxBytes: 10 }),
        task({ family: 'batch', cpuUtilized: 10 }),
      ],
      60_000,
    );
    const one = (metric: string, dims: string) => data.find((d) => d.MetricName === metric && dimsOf(d) === dims);
    expect(one('CpuUtilized', 'ClusterName=prod')).toMatchObject({ Unit: 'None', Timestamp: 60, StatisticValues: { SampleCount: 3, Sum: 410, Minimum: 10, Maximum: 300 } });
    expect(one('CpuUtilized', 'ClusterName=prod,ServiceName=api')?.StatisticValues).toMatchObject({ SampleCount: 2, Sum: 400 });
    expect(one('CpuUtilized', 'ClusterName=prod,TaskDefinitionFamily=batch')?.StatisticValues).toMatchObject({ SampleCount: 1, Sum: 10 });
    expect(one('MemoryReserved', 'ClusterName=prod')).toMatchObject({ Unit: 'Megabytes', StatisticValues: { Sum: 1536 } });
    // Only tasks whose network was measured count in the network metrics.
    expect(one('NetworkRxBytes', 'ClusterName=prod')).toMatchObject({ Unit: 'Bytes/Second', StatisticValues: { SampleCount: 2, Sum: 400 } });
    expect(one('StorageReadBytes', 'ClusterName=prod')).toMatchObject({ Unit: 'Bytes', StatisticValues: { SampleCount: 1, Sum: 4096 } });
    expect(one('NetworkRxBytes', 'ClusterName=prod,TaskDefinitionFamily=batch')).toBeUndefined();
    expect(data.some((d) => dimsOf(d).includes('ServiceName') && dimsOf(d).includes('batch'))).toBe(false);
  });

  it('sum, at the cluster, what the families sum', () => {
    const arb = fc.array(fc.record({ family: fc.constantFrom('a', 'b', 'c'), cpu: fc.nat(4096) }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(arb, (list) => {
        const data = insightsTaskData(list.map((t) => task({ family: t.family, cpuUtilized: t.cpu })), 0);
        const sums = data.filter((d) => d.MetricName === 'CpuUtilized').map((d) => ({ dims: dimsOf(d), sum: (d.StatisticValues as { Sum: number }).Sum }));
        const cluster = sums.find((s) => s.dims === 'ClusterName=prod')!.sum;
        const families = sums.filter((s) => s.dims.includes('TaskDefinitionFamily')).reduce((s, x) => s + x.sum, 0);
        expect(families).toBe(cluster);
      }),
    );
  });
});

describe('ECS/ContainerInsights counts', () => {
  it('counts tasks, services and instances per cluster, and each service’s tasks and deployments', () => {
    const data = insightsCountData(
      { clusterName: 'prod', runningTasks: 4, containerInstances: 1, services: [{ serviceName: 'api', desired: 3, running: 2, pending: 1, deployments: 2 }] },
      60_000,
    );
    const values = Object.fromEntries(data.map((d) => [`${d.MetricName} ${dimsOf(d)}`, d.Value]));
    expect(values).toEqual({
      'TaskCount ClusterName=prod': 4,
      'ServiceCount ClusterName=prod': 1,
      'ContainerInstanceCount ClusterName=prod': 1,
      'DesiredTaskCount ClusterName=prod,ServiceName=api': 3,
      'RunningTaskCount ClusterName=prod,ServiceName=api': 2,
      'PendingTaskCount ClusterName=prod,ServiceName=api': 1,
      'DeploymentCount ClusterName=prod,ServiceName=api': 2,
    });
    expect(data.every((d) => d.Unit === 'Count' && d.Timestamp === 60)).toBe(true);
  });
});
