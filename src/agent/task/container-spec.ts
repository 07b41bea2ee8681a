import type { ContainerDefinition, Volume } from '@aws-sdk/client-ecs';
import { join } from 'node:path';
import type { LinuxOptions } from '../runtime/linux-options.js';
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

/**
 * The mounts a container gets from `volumesFrom`: every mount of each source container (its own
 * mount points and, in turn, what it gets from its own volumesFrom), read-only when the entry
 * asks for it, else as the source has it — Docker's --volumes-from. A container's own mount
 * points win over these at the same path.
 */
export function volumesFromMounts(
  def: ContainerDefinition,
  containers: readonly ContainerDefinition[],
  volumes: readonly Volume[],
  dir: string,
  seen: ReadonlySet<string> = new Set([def.name ?? '']),
): NonNullable<RuntimeContainerSpec['mounts']> {
  const out: NonNullable<RuntimeContainerSpec['mounts']> = [];
  for (const from of def.volumesFrom ?? []) {
    const source = containers.find((c) => c.name === from.sourceContainer);
    // Registration rejects unknown names; a cycle would never end, so each container counts once.
    if (!source || seen.has(source.name ?? '')) continue;
    const inherited = [
      ...(mountsOf(source, volumes, dir) ?? []),
      ...volumesFromMounts(source, containers, volumes, dir, new Set([...seen, source.name ?? ''])),
    ];
    for (const m of inherited) out.push({ ...m, readOnly: from.readOnly === true || m.readOnly === true });
  }
  return out;
}

/** Own mount points, then volumesFrom mounts at paths not mounted yet. */
function allMounts(
  def: ContainerDefinition,
  containers: readonly ContainerDefinition[],
  volumes: readonly Volume[],
  dir: string,
): RuntimeContainerSpec['mounts'] {
  const own = mountsOf(def, volumes, dir) ?? [];
  const taken = new Set(own.map((m) => m.destination));
  const inherited = volumesFromMounts(def, containers, volumes, dir).filter((m) => {
    if (taken.has(m.destination)) return false;
    taken.add(m.destination);
    return true;
  });
  return [...own, ...inherited];
}

/**
 * The Linux options of a container definition, as the ECS agent hands them to Docker:
 * linuxParameters (capabilities, tmpfs, sharedMemorySize, devices), privileged, systemControls,
 * dnsServers, dnsSearchDomains and dockerSecurityOptions. Empty members are left out.
 */
export function linuxOptionsOf(def: ContainerDefinition): LinuxOptions {
  const lp = def.linuxParameters;
  const sysctls = Object.fromEntries((def.systemControls ?? []).map((s) => [s.namespace ?? '', s.value ?? '']));
  const nonEmpty = <T>(list: T[] | undefined): list is T[] => list !== undefined && list.length > 0;
  return {
    ...(nonEmpty(lp?.capabilities?.add) && { capAdd: lp.capabilities.add }),
    ...(nonEmpty(lp?.capabilities?.drop) && { capDrop: lp.capabilities.drop }),
    ...(def.privileged === true && { privileged: true }),
    ...(nonEmpty(lp?.tmpfs) && {
      tmpfs: lp.tmpfs.map((t) => ({ containerPath: t.containerPath!, sizeMiB: t.size!, ...(t.mountOptions && { mountOptions: t.mountOptions }) })),
    }),
    ...(lp?.sharedMemorySize !== undefined && { sharedMemorySizeMiB: lp.sharedMemorySize }),
    ...(nonEmpty(lp?.devices) && {
      devices: lp.devices.map((d) => ({
        hostPath: d.hostPath!,
        ...(d.containerPath && { containerPath: d.containerPath }),
        ...(d.permissions && { permissions: d.permissions }),
      })),
    }),
    ...(Object.keys(sysctls).length > 0 && { sysctls }),
    ...(nonEmpty(def.dnsServers) && { dnsServers: def.dnsServers }),
    ...(nonEmpty(def.dnsSearchDomains) && { dnsSearchDomains: def.dnsSearchDomains }),
    ...(nonEmpty(def.dockerSecurityOptions) && { securityOptions: def.dockerSecurityOptions }),
  };
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
  /** The task's container definitions, for volumesFrom; without them volumesFrom is not applied. */
  containers?: readonly ContainerDefinition[];
  /** The nameservers of the task network, used when the definition sets no dnsServers. */
  networkNameservers?: readonly string[];
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
    mounts: allMounts(def, args.containers ?? [], args.volumes, args.dir),
    initProcessEnabled: def.linuxParameters?.initProcessEnabled ?? false,
    logPath: join(args.dir, `${def.name}.log`),
    stopSignal: args.process.stopSignal,
    linux: {
      ...linuxOptionsOf(def),
      // A definition's own dnsServers win, as ECS passes them to Docker over the VPC resolver.
      ...((def.dnsServers ?? []).length === 0 && args.networkNameservers && args.networkNameservers.length > 0 && { dnsServers: [...args.networkNameservers] }),
    },
  };
}
