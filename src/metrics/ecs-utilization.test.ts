import { describe, expect, it } from 'vitest';
import { ecsUtilizationData } from './ecs-utilization.js';

describe('ecsUtilizationData', () => {
  it('publishes used × 100 ÷ reserved per service and per cluster, with the task extremes', () => {
    const data = ecsUtilizationData(
      [
        { clusterName: 'prod', serviceName: 'web', cpuUsed: 128, cpuReserved: 256, memoryUsed: 100, memoryReserved: 512 },
        { clusterName: 'prod', serviceName: 'web', cpuUsed: 0, cpuReserved: 256, memoryUsed: 412, memoryReserved: 512 },
        { clusterName: 'prod', cpuUsed: 512, cpuReserved: 0, memoryUsed: 64, memoryReserved: 128 },
      ],
      1_700_000_000_000,
    );
    const find = (metric: string, service?: string) =>
      data.find((d) => d.MetricName === metric && (service === undefined ? d.Dimensions!.length === 1 : d.Dimensions!.some((x) => x.Value === service)));
    expect(find('CPUUtilization', 'web')).toEqual({
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'ClusterName', Value: 'prod' }, { Name: 'ServiceName', Value: 'web' }],
      Timestamp: 1_700_000_000,
      Unit: 'Percent',
      StatisticValues: { SampleCount: 2, Sum: 50, Minimum: 0, Maximum: 50 },
    });
    expect(find('MemoryUtilization', 'web')?.StatisticValues).toEqual({ SampleCount: 2, Sum: 100, Minimum: (100 * 100) / 512, Maximum: (412 * 100) / 512 });
    // The task without a CPU reservation counts for memory only.
    expect(find('CPUUtilization')?.StatisticValues).toMatchObject({ SampleCount: 2 });
    expect(find('MemoryUtilization')?.StatisticValues).toMatchObject({ SampleCount: 3, Sum: ((576 * 100) / 1152) * 3 });
  });
});
