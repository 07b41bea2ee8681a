import type { ContainerDefinition, TaskOverride } from '@aws-sdk/client-ecs';
import { normalizeTaskCpu, normalizeTaskMemory } from '../task-definitions/units.js';
import type { TaskDefinitionRecord } from '../task-definitions/task-definition.js';

/** The resources a task reserves on its host: cpu units and MiB. */
export interface TaskSize {
  cpu: number;
  memory: number;
  /** Task-level values as the task shows them (strings, as ECS), when the task has them. */
  taskCpu?: number;
  taskMemory?: number;
}

/** A container's effective cpu and memory after overrides. */
function containerSize(c: ContainerDefinition, overrides: TaskOverride) {
  const o = overrides.containerOverrides?.find((x) => x.name === c.name);
  return {
    cpu: o?.cpu ?? c.cpu ?? 0,
    memory: o?.memory ?? c.memory ?? o?.memoryReservation ?? c.memoryReservation ?? 0,
  };
}

/**
 * What a task reserves: the task-level cpu/memory (after overrides) when set, else the sum of its
 * containers' — as ECS accounts for tasks on a container instance.
 */
export function taskSize(td: TaskDefinitionRecord, overrides: TaskOverride): TaskSize {
  const cpuText = overrides.cpu ?? td.cpu;
  const memoryText = overrides.memory ?? td.memory;
  const taskCpu = cpuText ? normalizeTaskCpu(cpuText) : undefined;
  const taskMemory = memoryText ? normalizeTaskMemory(memoryText) : undefined;
  let sumCpu = 0;
  let sumMemory = 0;
  for (const c of td.containerDefinitions ?? []) {
    const s = containerSize(c, overrides);
    sumCpu += s.cpu;
    sumMemory += s.memory;
  }
  return {
    cpu: taskCpu ?? sumCpu,
    memory: taskMemory ?? sumMemory,
    ...(taskCpu !== undefined && { taskCpu }),
    ...(taskMemory !== undefined && { taskMemory }),
  };
}
