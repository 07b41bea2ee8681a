/**
 * Builders shared by the scheduler's tests and its benchmark: an instance snapshot with plain
 * defaults, and a small seeded random source so that runs can be replayed.
 */
import type { InstanceSnapshot } from './types.js';

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

export { seededRandom } from '../lib/seeded-random.js';
