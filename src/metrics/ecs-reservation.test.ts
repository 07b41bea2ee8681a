import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ecsReservationData, type InstanceCapacity } from './ecs-reservation.js';

const instance = (clusterName: string, status: string, cpu: [number, number], memory: [number, number]): InstanceCapacity => ({
  clusterName,
  status,
  registered: { cpu: cpu[0], memory: memory[0] },
  remaining: { cpu: cpu[1], memory: memory[1] },
});

describe('AWS/ECS CPUReservation and MemoryReservation', () => {
  it('is what the tasks reserve over what the ACTIVE and DRAINING instances registered, per cluster', () => {
    const data = ecsReservationData(
      [
        instance('prod', 'ACTIVE', [2048, 1024], [4096, 4096]),
        instance('prod', 'DRAINING', [2048, 0], [4096, 2048]),
        instance('prod', 'INACTIVE', [2048, 2048], [4096, 4096]),
        instance('dev', 'ACTIVE', [1024, 1024], [2048, 1024]),
      ],
      120_000,
    );
    const find = (cluster: string, metric: string) => data.find((d) => d.MetricName === metric && d.Dimensions?.[0]?.Value === cluster);
    // prod: 1024 + 2048 of 4096 units; 0 + 2048 of 8192 MiB.
    expect(find('prod', 'CPUReservation')).toEqual({
      MetricName: 'CPUReservation',
      Dimensions: [{ Name: 'ClusterName', Value: 'prod' }],
      Timestamp: 120,
      Unit: 'Percent',
      StatisticValues: { SampleCount: 2, Sum: 150, Minimum: 50, Maximum: 100 },
    });
    expect(find('prod', 'MemoryReservation')?.StatisticValues).toEqual({ SampleCount: 2, Sum: 50, Minimum: 0, Maximum: 50 });
    expect(find('dev', 'CPUReservation')?.StatisticValues).toMatchObject({ Sum: 0 });
    expect(find('dev', 'MemoryReservation')?.StatisticValues).toMatchObject({ Sum: 50 });
  });

  it('stays between 0 and 100 percent, the average between the least and most reserved instance', () => {
    const arb = fc.array(
      fc.record({ reg: fc.integer({ min: 1, max: 65536 }), rem: fc.integer({ min: -1000, max: 70000 }) }),
      { minLength: 1, maxLength: 10 },
    );
    fc.assert(
      fc.property(arb, (list) => {
        const data = ecsReservationData(list.map((x) => instance('c', 'ACTIVE', [x.reg, x.rem], [x.reg, x.rem])), 0);
        for (const d of data) {
          const s = d.StatisticValues as { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
          const avg = s.Sum / s.SampleCount;
          expect(s.Minimum).toBeGreaterThanOrEqual(0);
          expect(s.Maximum).toBeLessThanOrEqual(100);
          expect(avg).toBeGreaterThanOrEqual(s.Minimum - 1e-9);
          expect(avg).toBeLessThanOrEqual(s.Maximum + 1e-9);
        }
      }),
    );
  });
});
