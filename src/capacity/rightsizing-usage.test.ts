import { describe, expect, it } from 'vitest';
import { usageFromPerformanceEvents } from './rightsizing-usage.js';

const task = (family: string, taskId: string, ts: number, cpu: number, mem: number, size: [number, number] = [1024, 2048]) => ({
  Version: '0',
  Type: 'Task',
  TaskId: taskId,
  TaskDefinitionFamily: family,
  TaskDefinitionRevision: '1',
  ClusterName: 'c',
  Timestamp: ts,
  CpuUtilized: cpu,
  CpuReserved: size[0],
  MemoryUtilized: mem,
  MemoryReserved: size[1],
});

describe('usageFromPerformanceEvents', () => {
  it('groups Task events by family, with the latest reserved size and tasks at once', () => {
    const summary = usageFromPerformanceEvents([
      task('web', 't1', 1000, 10, 100),
      task('web', 't2', 1000, 30, 120),
      task('web', 't1', 2000, 20, 110, [512, 1024]),
      task('web', 't2', 2000, 40, 130, [512, 1024]),
      task('batch', 'b1', 1500, 500, 900, [2048, 4096]),
      { Type: 'Container', ContainerName: 'app', TaskDefinitionFamily: 'web', CpuUtilized: 1, MemoryUtilized: 1 },
      { Type: 'Task', TaskDefinitionFamily: 'web', TaskId: 't3', Timestamp: 3000, CpuUtilized: 'n/a' },
      'not json',
    ]);
    expect(summary).toMatchObject({ taskEvents: 5, skipped: 3, from: 1000, to: 2000 });
    expect(summary.usages.map((u) => u.family)).toEqual(['batch', 'web']);
    const web = summary.usages[1]!;
    expect(web.current).toEqual({ cpu: 512, memoryMiB: 1024 });
    expect(web.taskCount).toBe(2);
    expect(web.samples).toEqual([
      { cpuUnits: 10, memoryMiB: 100 },
      { cpuUnits: 30, memoryMiB: 120 },
      { cpuUnits: 20, memoryMiB: 110 },
      { cpuUnits: 40, memoryMiB: 130 },
    ]);
  });

  it('gives the same answer for the events in any order, and nothing for no events', () => {
    const events = [task('a', 'x', 3, 1, 2), task('a', 'y', 1, 3, 4), task('a', 'x', 2, 5, 6)];
    expect(usageFromPerformanceEvents([...events].reverse())).toEqual(usageFromPerformanceEvents(events));
    expect(usageFromPerformanceEvents([])).toEqual({ usages: [], taskEvents: 0, skipped: 0 });
  });
});
