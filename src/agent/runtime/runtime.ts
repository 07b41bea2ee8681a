/**
 * The container runtime port: what the agent needs from whatever runs its containers. RuncRuntime
 * implements it with runc and conmon; FakeRuntime implements it in memory for the layers above.
 */
import type { LinuxOptions } from './linux-options.js';

/** Everything needed to start one container. */
export interface ContainerSpec {
  /** Unique runtime id, `[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}`. */
  id: string;
  /** Image layers, bottom to top, already unpacked (OCI whiteouts as overlayfs whiteouts); read-only lowerdirs. */
  layerDirs: string[];
  /** The root filesystem is mounted read-only in the container when true. */
  readonlyRootFilesystem?: boolean;
  /** The resolved process args (entrypoint + command). */
  args: string[];
  /** `KEY=value` entries. */
  env: string[];
  /** Working directory; default `/`. */
  cwd?: string;
  /** `name`, `uid`, `uid:gid` or `name:group`, resolved against the rootfs /etc/passwd and /etc/group like Docker. */
  user?: string;
  /** UTS hostname and /etc/hostname; default the id (cut to 63 characters). */
  hostname?: string;
  /** Extra /etc/hosts entries, written after the localhost entries. */
  extraHosts?: Array<{ hostname: string; ipAddress: string }>;
  /** Join this network namespace; when absent the container gets a new one with only loopback. */
  netnsPath?: string;
  /** The task's cgroup, relative to the cgroup root (e.g. `minato/<taskId>`); default `minato`. */
  cgroupParent?: string;
  /** Container cpu units → cpu.shares (ECS: units = shares, minimum 2; absent → 2 as the ECS agent does). */
  cpuShares?: number;
  /** Hard memory limit; exceeding it gets the container OOM-killed (exit 137, oomKilled). */
  memoryLimitMiB?: number;
  /** Soft memory limit. */
  memoryReservationMiB?: number;
  /** ECS ulimit names (`nofile`, `nproc`, …) with soft and hard limits. */
  ulimits?: Array<{ name: string; softLimit: number; hardLimit: number }>;
  /** Bind mounts (task volumes). */
  mounts?: Array<{ source: string; destination: string; readOnly?: boolean }>;
  /** Run an init as PID 1 that reaps zombies and forwards signals. */
  initProcessEnabled?: boolean;
  /** Where conmon writes the k8s-file log (timestamped stdout and stderr lines). */
  logPath: string;
  /** The image's stop signal, e.g. `SIGQUIT`; default `SIGTERM`. Kept for the caller's stop logic. */
  stopSignal?: string;
  /** Capabilities, tmpfs, /dev/shm, devices, sysctls, DNS, security options, privileged. */
  linux?: LinuxOptions;
}

/** How a container ended. */
export interface ContainerExit {
  /** The process exit code; 128 + n when killed by signal n; -1 when the status was lost. */
  exitCode: number;
  /** Killed by the kernel's OOM killer for exceeding a memory limit. */
  oomKilled: boolean;
  exitedAt: Date;
}

/** The lifecycle states of a container. */
export const ContainerStatus = { Created: 'created', Running: 'running', Stopped: 'stopped' } as const;
/** One of {@link ContainerStatus}. */
export type ContainerStatus = (typeof ContainerStatus)[keyof typeof ContainerStatus];

/** What `status` reports. */
export interface ContainerState {
  status: ContainerStatus;
  /** Host pid of the container's init process while it runs. */
  pid?: number;
  /** Present once stopped. */
  exit?: ContainerExit;
}

/** cgroup statistics of one container, the raw numbers the task metadata endpoint reports. */
export interface ContainerStats {
  readAt: Date;
  /** Total cpu time of the container's processes, in nanoseconds. */
  cpuUsageNs: number;
  /** Per-cpu split of {@link cpuUsageNs}. */
  cpuPerCpuNs: number[];
  /** Host cpu time over all cpus since boot, in nanoseconds (Docker's `system_cpu_usage`). */
  systemCpuUsageNs: number;
  onlineCpus: number;
  memoryUsageBytes: number;
  memoryMaxUsageBytes: number;
  memoryLimitBytes: number;
  /** The cgroup's memory.stat counters. */
  memoryStat: Record<string, number>;
  pids: number;
}

/** What `exec` returns. */
export interface ExecResult {
  /** The command's exit code; -1 when it timed out (as Docker reports health check timeouts). */
  exitCode: number;
  /** stdout and stderr interleaved as they arrived, cut to the first 64 KiB. */
  output: string;
  timedOut: boolean;
}

/** Task-level cgroup limits. */
export interface TaskLimits {
  /** Task cpu units: cpu.shares and a CFS quota of units/1024 cpus. */
  cpuUnits?: number;
  /** Task memory hard limit. */
  memoryMiB?: number;
}

/** Runs containers. Every method works for containers started by an earlier instance over the same state. */
export interface ContainerRuntime {
  /** Creates and starts the container; resolves once the process runs, with its host pid. */
  start(spec: ContainerSpec): Promise<{ pid: number; startedAt: Date }>;
  /** Sends a signal (name or number) to the container's init process; a no-op once it has stopped. */
  kill(id: string, signal: string): Promise<void>;
  /** Resolves when the container exits; a pending wait does not keep the process alive by itself. */
  wait(id: string): Promise<ContainerExit>;
  /** Current status, or undefined for an unknown id. */
  status(id: string): Promise<ContainerState | undefined>;
  /** Runs a command inside the running container (health checks); killed after timeoutMs. */
  exec(id: string, args: string[], options: { timeoutMs: number; env?: string[] }): Promise<ExecResult>;
  /** cgroup statistics, or undefined for an unknown id or a container whose cgroup is gone. */
  stats(id: string): Promise<ContainerStats | undefined>;
  /** Deletes a stopped or never-started (created) container and everything it used but its log file. Idempotent; a running one is refused. */
  remove(id: string): Promise<void>;
  /** Ids of every container this runtime knows, running or stopped. */
  list(): Promise<string[]>;
  /** Creates or updates the task-level cgroup with cpu and memory limits. */
  setTaskLimits(cgroupParent: string, limits: TaskLimits): Promise<void>;
  /** Removes the task-level cgroup (its containers must be removed first). Idempotent. */
  removeTaskCgroup(cgroupParent: string): Promise<void>;
}

/** Runtime ids: also used as directory and cgroup names, so no path separators and no leading dot. */
export const CONTAINER_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/;

/** Task cgroup paths: relative, segments of safe characters. */
export const CGROUP_PARENT = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*(\/[a-zA-Z0-9][a-zA-Z0-9_.-]*)*$/;

/** Where containers without a cgroupParent go. */
export const DEFAULT_CGROUP_PARENT = 'minato';
