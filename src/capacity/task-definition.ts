/**
 * What a task definition asks of its host: the EC2 reservation ECS makes for it, the Fargate size
 * it needs, its architecture and placement constraints. Accepts the input of
 * `aws ecs register-task-definition --cli-input-json` and the output of DescribeTaskDefinition.
 */
import { invalidParameter } from '../lib/errors.js';
import { Arch, type Resources } from './types.js';

/** A task definition reduced to what capacity planning needs. */
export interface TaskShape {
  readonly family: string;
  /** What ECS reserves on an EC2 container instance. */
  readonly ec2: Resources;
  /** The smallest task size Fargate must provide (before rounding to a valid size). */
  readonly fargate: { readonly cpu: number; readonly memoryMiB: number };
  readonly arch?: Arch;
  readonly memberOf: readonly string[];
  readonly distinctInstance: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Task-level `cpu`: "1024", "1 vCPU", "0.25 vcpu". */
export function parseTaskCpu(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(value);
  if (!m) throw invalidParameter(`cpu "${value}" is not a number of CPU units or vCPUs`);
  return m[2] ? Math.round(Number(m[1]) * 1024) : Number(m[1]);
}

/** Task-level `memory`: "2048" (MiB), "2 GB", "2gb". */
export function parseTaskMemory(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i.exec(value);
  if (!m) throw invalidParameter(`memory "${value}" is not a number of MiB or GB`);
  return m[2] ? Math.round(Number(m[1]) * 1024) : Number(m[1]);
}

const nonNegInt = (v: unknown, where: string): number => {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalidParameter(`${where} must be a non-negative integer`);
  return v;
};

/**
 * Reads a task definition. EC2 reservation: task-level cpu/memory when given, else the sum over
 * containers of `cpu` and of `memoryReservation` (or `memory` when no reservation is set), as ECS
 * reserves them. Fargate needs at least the task-level size, else the container sums with each
 * container's hard `memory` limit counted.
 */
export function taskShape(raw: unknown): TaskShape {
  if (!isObject(raw)) throw invalidParameter('a task definition must be a JSON object');
  const td = isObject(raw.taskDefinition) ? raw.taskDefinition : raw;
  const containers = td.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) throw invalidParameter('the task definition has no containerDefinitions');
  let cpuSum = 0;
  let reserveSum = 0;
  let hardSum = 0;
  let gpus = 0;
  containers.forEach((c: unknown, i) => {
    if (!isObject(c)) throw invalidParameter(`containerDefinitions[${i}] must be an object`);
    const where = `containerDefinitions[${i}]`;
    cpuSum += nonNegInt(c.cpu, `${where}.cpu`);
    const hard = nonNegInt(c.memory, `${where}.memory`);
    const soft = nonNegInt(c.memoryReservation, `${where}.memoryReservation`);
    reserveSum += soft || hard;
    hardSum += Math.max(hard, soft);
    for (const r of Array.isArray(c.resourceRequirements) ? c.resourceRequirements : []) {
      if (isObject(r) && r.type === 'GPU') gpus += Number(r.value);
    }
  });
  const taskCpu = typeof td.cpu === 'string' ? parseTaskCpu(td.cpu) : undefined;
  const taskMem = typeof td.memory === 'string' ? parseTaskMemory(td.memory) : undefined;
  const ec2Mem = taskMem ?? reserveSum;
  if (ec2Mem <= 0) throw invalidParameter('the task definition sets no memory: give task-level memory or container memory/memoryReservation');
  const platform = isObject(td.runtimePlatform) ? td.runtimePlatform : {};
  const archName = typeof platform.cpuArchitecture === 'string' ? platform.cpuArchitecture.toUpperCase() : undefined;
  const arch = archName === 'ARM64' ? Arch.ARM64 : archName === 'X86_64' ? Arch.X86_64 : undefined;
  const constraints = Array.isArray(td.placementConstraints) ? td.placementConstraints.filter(isObject) : [];
  return {
    family: typeof td.family === 'string' ? td.family : 'task',
    ec2: { cpu: taskCpu ?? cpuSum, memoryMiB: ec2Mem, gpus },
    fargate: { cpu: Math.max(taskCpu ?? cpuSum, 1), memoryMiB: Math.max(taskMem ?? hardSum, 1) },
    ...(arch ? { arch } : {}),
    memberOf: constraints.filter((c) => c.type === 'memberOf' && typeof c.expression === 'string').map((c) => c.expression as string),
    distinctInstance: constraints.some((c) => c.type === 'distinctInstance'),
  };
}
