/**
 * Builders shared by the scheduler's tests and its benchmark: an instance snapshot with plain
 * defaults, and a small seeded random source so that runs can be replayed.
 */
import type { InstanceSnapshot, RandomSource } from './types.js';

/** An ACTIVE, connected, empty instance with 4 vCPU and 8 GiB; `over` replaces any field. */
export function instance(id: string, over: Partial<InstanceSnapshot> = {}): InstanceSnapshot {
  return {
    containerInstanceArn: `arn:aws:ecs:us-east-1:000000000000:container-instance/test/${id}`,
    ec2InstanceId: `i-${id}`,
    host: `10.0.0.${id.length}`,
    status: 'ACTIVE',
    agentConnected: true,
    agentVersion: '1.80.0',
    registeredAt: Date.UTC(2024, 0, 1),
    attributes: { 'ecs.availability-zone': 'us-east-1a', 'ecs.instance-type': 't3.large', 'ecs.os-type': 'linux' },
    remaining: { cpu: 4096, memory: 8192 },
    usedPorts: [],
    runningTasksCount: 0,
    taskGroups: [],
    ...over,
  };
}

/** mulberry32: a tiny deterministic generator of numbers in [0, 1). */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
