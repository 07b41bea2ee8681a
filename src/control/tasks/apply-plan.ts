/**
 * The apply step of RunTask and StartTask: the task records of a plan's placements, written in the
 * transaction the plan's snapshot was read in, with their tags.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RunTaskRequest, Tag } from '@aws-sdk/client-ecs';
import { formatArn } from '../../lib/arn.js';
import type { Scope } from '../../lib/scope.js';
import type { Placement } from '../../placement/plan.js';
import type { Transaction } from '../../store/store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import type { TagStore } from '../tags.js';
import type { TaskDefinitionRecord } from '../task-definitions/task-definition.js';
import { hostPortsOf } from './placement.js';
import { TaskStatus, type TaskRecord } from './task.js';
import type { TaskSize } from './task-size.js';

/** What every task of one request shares. */
export interface TaskOrigin {
  scope: Scope;
  cluster: { clusterArn: string; clusterName: string };
  td: TaskDefinitionRecord;
  input: RunTaskRequest;
  size: TaskSize;
  /** Set when a service launches the tasks (ECS-managed tags name it). */
  serviceName?: string;
  /** The awsvpc task's security groups, once resolved (vpc-lookup.ts). */
  securityGroupIds?: string[];
}

/** Writes one task record (and its tags) per placement; returns the records in placement order. */
export async function applyPlan(tx: Transaction, tags: TagStore, origin: TaskOrigin, placements: readonly Placement[]): Promise<TaskRecord[]> {
  const out: TaskRecord[] = [];
  const tagList = placements.length > 0 ? await taskTags(tags, origin) : [];
  for (const placement of placements) {
    const task = newTask(origin, placement);
    await tx.collection<TaskRecord>(CLUSTER_MEMBERS.tasks).put(`${origin.cluster.clusterArn}/${task.taskId}`, task);
    await tags.set(tx, task.taskArn, tagList);
    out.push(task);
  }
  return out;
}

function newTask({ scope, cluster, td, input, size, securityGroupIds }: TaskOrigin, placement: Placement): TaskRecord {
  const { clusterArn, clusterName } = cluster;
  const taskId = randomBytes(16).toString('hex');
  const taskArn = formatArn('ecs', scope.region, scope.accountId, `task/${clusterName}/${taskId}`);
  const overrides = input.overrides ?? {};
  const onInstance = !placement.onControlHost;
  const hostPorts = hostPortsOf(td);
  return {
    taskArn,
    taskId,
    clusterArn,
    taskDefinitionArn: td.taskDefinitionArn,
    region: scope.region,
    lastStatus: TaskStatus.Provisioning,
    desiredStatus: 'RUNNING',
    launchType: placement.launchType,
    ...(placement.capacityProviderName && { capacityProviderName: placement.capacityProviderName }),
    ...(onInstance && { containerInstanceArn: placement.instance.containerInstanceArn }),
    ...(onInstance && hostPorts.length > 0 && { hostPorts }),
    ...(placement.launchType === 'FARGATE' && { platformVersion: input.platformVersion ?? '1.4.0', platformFamily: 'Linux' }),
    cpu: String(size.cpu),
    memory: String(size.memory),
    containers: (td.containerDefinitions ?? []).map((c) => {
      const o = overrides.containerOverrides?.find((x) => x.name === c.name);
      const cpu = o?.cpu ?? c.cpu;
      const memory = o?.memory ?? c.memory;
      const reservation = o?.memoryReservation ?? c.memoryReservation;
      return {
        containerArn: formatArn('ecs', scope.region, scope.accountId, `container/${clusterName}/${taskId}/${randomUUID()}`),
        taskArn,
        name: c.name,
        image: c.image,
        lastStatus: 'PENDING',
        ...(cpu !== undefined && { cpu: String(cpu) }),
        ...(memory !== undefined && { memory: String(memory) }),
        ...(reservation !== undefined && { memoryReservation: String(reservation) }),
        networkBindings: [],
        networkInterfaces: [],
        ...(c.healthCheck && { healthStatus: 'UNKNOWN' }),
      };
    }),
    overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [], ...overrides },
    attachments: [],
    // The control host's snapshot carries the region's one zone, as instances carry theirs.
    availabilityZone: placement.instance.attributes['ecs.availability-zone'] ?? `${scope.region}a`,
    ...(input.startedBy !== undefined && { startedBy: input.startedBy }),
    group: input.group ?? `family:${td.family}`,
    enableExecuteCommand: input.enableExecuteCommand ?? false,
    healthStatus: 'UNKNOWN',
    createdAt: scope.now.getTime(),
    ...(input.networkConfiguration && { networkConfiguration: input.networkConfiguration }),
    ...(securityGroupIds && { securityGroupIds }),
    version: 1,
  };
}

async function taskTags(tags: TagStore, { input, td, cluster, serviceName }: TaskOrigin): Promise<Tag[]> {
  const out: Tag[] = [...(input.tags ?? [])];
  if (input.propagateTags === 'TASK_DEFINITION') {
    for (const t of await tags.get(td.taskDefinitionArn)) if (!out.some((x) => x.key === t.key)) out.push(t);
  }
  // ECS-managed tags use the reserved prefix, which only ECS itself may write.
  if (input.enableECSManagedTags) {
    out.push({ key: 'aws:ecs:clusterName', value: cluster.clusterName });
    if (serviceName !== undefined) out.push({ key: 'aws:ecs:serviceName', value: serviceName });
  }
  return out;
}
