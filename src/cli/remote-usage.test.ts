import { describe, expect, it } from 'vitest';
import type { TaskUsage } from '../agent-contract/task-usage.js';
import { RemoteUsage } from './remote-usage.js';

const use = (taskArn: string): TaskUsage => ({
  taskArn,
  clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c',
  region: 'us-east-1',
  cpuUnits: 100,
  memoryMiB: 10,
  cpuReserved: 256,
  memoryReserved: 512,
  family: 'f',
  insights: false,
});

describe('RemoteUsage', () => {
  it("gives each instance's latest reading once, and drops readings too old to describe the period", () => {
    const remote = new RemoteUsage();
    remote.record('i-1', 1_000, [use('a')]);
    remote.record('i-1', 61_000, [use('a'), use('b')]);
    // A late delivery of an older reading does not replace the newer one.
    remote.record('i-1', 30_000, [use('stale')]);
    remote.record('i-2', 5_000, [use('c')]);
    expect(remote.take(100_000, 60_000).map((t) => t.taskArn)).toEqual(['a', 'b']);
    expect(remote.take(100_000, 60_000)).toEqual([]);
  });
});
