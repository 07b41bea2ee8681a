import { randomBytes } from 'node:crypto';
import type { AgentRegistration } from '../agent-contract/registration.js';
import type { ContainerInstanceRecord, ContainerInstanceRegistry } from '../control/container-instances/container-instance.js';
import { formatArn } from '../lib/arn.js';
import type { Scope } from '../lib/scope.js';
import type { InstanceSnapshot } from '../placement/types.js';

/**
 * An in-memory ContainerInstanceRegistry for tests of the agent protocol: registration (the same
 * ARN again on re-join), heartbeats and disconnection, as the interface documents them.
 */
export class MemoryInstanceRegistry implements ContainerInstanceRegistry {
  readonly records = new Map<string, ContainerInstanceRecord>();

  async registerAgent(scope: Scope, registration: AgentRegistration): Promise<ContainerInstanceRecord> {
    const clusterArn = formatArn('ecs', scope.region, scope.accountId, `cluster/${registration.cluster}`);
    const previous = registration.containerInstanceArn ? this.records.get(registration.containerInstanceArn) : undefined;
    const id = previous?.id ?? randomBytes(16).toString('hex');
    const record: ContainerInstanceRecord = {
      containerInstanceArn: previous?.containerInstanceArn ?? formatArn('ecs', scope.region, scope.accountId, `container-instance/${registration.cluster}/${id}`),
      id,
      clusterArn,
      region: scope.region,
      ec2InstanceId: registration.ec2InstanceId ?? previous?.ec2InstanceId ?? `i-${randomBytes(8).toString('hex').slice(0, 17)}`,
      host: registration.host,
      ...(registration.address !== undefined && { address: registration.address }),
      ...(registration.taskSubnet !== undefined && { taskSubnet: registration.taskSubnet }),
      status: 'ACTIVE',
      agentConnected: true,
      lastSeenAt: scope.now.getTime(),
      versionInfo: { agentVersion: registration.agentVersion },
      cpu: registration.cpu,
      memory: registration.memory,
      attributes: registration.attributes,
      registeredAt: previous?.registeredAt ?? scope.now.getTime(),
      version: (previous?.version ?? 0) + 1,
    };
    this.records.set(record.containerInstanceArn, record);
    return record;
  }

  async heartbeat(containerInstanceArn: string, now: Date): Promise<ContainerInstanceRecord | undefined> {
    const record = this.records.get(containerInstanceArn);
    if (!record) return undefined;
    const next = { ...record, agentConnected: true, lastSeenAt: now.getTime(), version: record.version + (record.agentConnected ? 0 : 1) };
    this.records.set(containerInstanceArn, next);
    return next;
  }

  async markDisconnected(now: Date, timeoutMs: number): Promise<ContainerInstanceRecord[]> {
    const marked: ContainerInstanceRecord[] = [];
    for (const record of this.records.values()) {
      if (!record.agentConnected || record.lastSeenAt + timeoutMs > now.getTime()) continue;
      const next = { ...record, agentConnected: false, version: record.version + 1 };
      this.records.set(record.containerInstanceArn, next);
      marked.push(next);
    }
    return marked;
  }

  async byArn(containerInstanceArn: string): Promise<ContainerInstanceRecord | undefined> {
    return this.records.get(containerInstanceArn);
  }

  async snapshot(clusterArn: string): Promise<InstanceSnapshot[]> {
    return [...this.records.values()]
      .filter((r) => r.clusterArn === clusterArn && r.status !== 'INACTIVE')
      .map((r) => ({
        containerInstanceArn: r.containerInstanceArn,
        ec2InstanceId: r.ec2InstanceId,
        host: r.host,
        status: r.status,
        agentConnected: r.agentConnected,
        agentVersion: r.versionInfo.agentVersion,
        registeredAt: r.registeredAt,
        attributes: Object.fromEntries(r.attributes.map((a) => [a.name!, a.value])),
        remaining: { cpu: r.cpu, memory: r.memory },
        usedPorts: [],
        runningTasksCount: 0,
        taskGroups: [],
      }));
  }
}
