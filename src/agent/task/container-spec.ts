import type { ContainerDefinition, Volume } from '@aws-sdk/client-ecs';
import { join } from 'node:path';
import type { ProcessConfig } from './process-config.js';
import type { RuntimeContainerSpec } from './ports.js';

/** ECS's default and largest stopTimeout (seconds). */
export const DEFAULT_STOP_TIMEOUT_S = 30;
export const MAX_STOP_TIMEOUT_S = 120;

/** The seconds a container gets between its stop signal and SIGKILL. */
export function stopTimeoutOf(def: ContainerDefinition): number {
  return Math.min(Math.max(def.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S, 0), MAX_STOP_TIMEOUT_S);
}

/** The runtime id of a container: task id and container name, within the runtime's 64 characters. */
export function runtimeIdOf(taskId: string, name: string): string {
  return `${taskId}-${name.replace(/[^a-zA-Z0-9_.-]/g, '_')}`.slice(0, 64);
}

/** Where a task's files live: logs, ephemeral volumes. */
export function taskDir(root: string, taskId: string): string {
  return join(root, taskId);
}

/**
 * The bind mounts of a container: task volumes with a host path are bound as they are; volumes
 * without one are ephemeral directories of the task, shared by its containers.
 */
export function mountsOf(def: ContainerDefinition, volumes: readonly Volume[], dir: string): RuntimeContainerSpec['mounts'] {
  return (def.mountPoints ?? []).map((m) => {
    const volume = volumes.find((v) => v.name === m.sourceVolume);
    const source = volume?.host?.sourcePath ?? join(dir, 'volumes', m.sourceVolume ?? 'unnamed');
    return { source, destination: m.containerPath!, readOnly: m.readOnly ?? false };
  });
}

/** Everything the runtime needs to start one container of a task. */
export function containerSpec(args: {
  taskId: string;
  def: ContainerDefinition;
  process: ProcessConfig;
  layerDirs: string[];
  volumes: readonly Volume[];
  dir: string;
  netnsPath?: string;
  hostname?: string;
  cgroupParent: string;
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
}): RuntimeContainerSpec {
  const { def } = args;
  const cpu = args.cpu ?? def.cpu ?? 0;
  return {
    id: runtimeIdOf(args.taskId, def.name!),
    layerDirs: args.layerDirs,
    readonlyRootFilesystem: def.readonlyRootFilesystem ?? false,
    args: args.process.args,
    env: args.process.env,
    cwd: args.process.cwd,
    ...(args.process.user !== undefined && { user: args.process.user }),
    ...((def.hostname ?? args.hostname) !== undefined && { hostname: def.hostname ?? args.hostname }),
    extraHosts: (def.extraHosts ?? []).map((h) => ({ hostname: h.hostname!, ipAddress: h.ipAddress! })),
    ...(args.netnsPath && { netnsPath: args.netnsPath }),
    cgroupParent: args.cgroupParent,
    // Docker's minimum share count is 2; ECS passes 0 units as that minimum.
    cpuShares: Math.max(cpu, 2),
    ...((args.memory ?? def.memory) !== undefined && { memoryLimitMiB: args.memory ?? def.memory }),
    ...((args.memoryReservation ?? def.memoryReservation) !== undefined && {
      memoryReservationMiB: args.memoryReservation ?? def.memoryReservation,
    }),
    ulimits: (def.ulimits ?? []).map((u) => ({ name: u.name!, softLimit: u.softLimit!, hardLimit: u.hardLimit! })),
    mounts: mountsOf(def, args.volumes, args.dir),
    initProcessEnabled: def.linuxParameters?.initProcessEnabled ?? false,
    logPath: join(args.dir, `${def.name}.log`),
    stopSignal: args.process.stopSignal,
  };
}
