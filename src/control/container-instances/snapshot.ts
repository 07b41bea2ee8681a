import type { InstanceSnapshot } from '../../placement/types.js';
import type { ContainerInstanceRecord } from './container-instance.js';
import type { InstanceUsage } from './instance-usage.js';

/** The scheduler's view of one instance: what is left of it after the tasks placed on it. */
export function toSnapshot(record: ContainerInstanceRecord, usage: InstanceUsage): InstanceSnapshot {
  const attributes: Record<string, string | undefined> = {};
  for (const a of record.attributes) if (a.name) attributes[a.name] = a.value;
  // Reserved TCP ports are taken as much as those of tasks; the scheduler places TCP host ports.
  const reserved = (record.reservedPorts ?? []).map(Number).filter((p) => Number.isInteger(p));
  return {
    containerInstanceArn: record.containerInstanceArn,
    ec2InstanceId: record.ec2InstanceId,
    host: record.host,
    status: record.status,
    agentConnected: record.agentConnected,
    agentVersion: record.versionInfo.agentVersion,
    registeredAt: record.registeredAt,
    attributes,
    remaining: { cpu: record.cpu - usage.cpu, memory: record.memory - usage.memory },
    usedPorts: [...new Set([...reserved, ...usage.tcpPorts])].sort((a, b) => a - b),
    runningTasksCount: usage.active,
    taskGroups: [...usage.groups],
  };
}

/** The id the control host goes by in a plan; no container instance has it, and no task records it. */
export const CONTROL_HOST_ID = 'minato:control-host';

/**
 * The control host (the machine minato runs on) as an instance: its CPU units and memory less what
 * its tasks reserve, in the region's one zone. Tasks placed on it record no container instance.
 */
export function controlHostSnapshot(capacity: { cpu: number; memory: number }, usage: InstanceUsage, zone: string): InstanceSnapshot {
  return {
    containerInstanceArn: CONTROL_HOST_ID,
    ec2InstanceId: CONTROL_HOST_ID,
    host: 'localhost',
    status: 'ACTIVE',
    agentConnected: true,
    agentVersion: '',
    registeredAt: 0,
    attributes: { 'ecs.availability-zone': zone, 'ecs.os-type': 'linux' },
    remaining: { cpu: capacity.cpu - usage.cpu, memory: capacity.memory - usage.memory },
    usedPorts: [...new Set(usage.tcpPorts)].sort((a, b) => a - b),
    runningTasksCount: usage.active,
    taskGroups: [...usage.groups],
  };
}
