/**
 * What the task runner needs of the host: the container runtime, task networks, the image store,
 * a log sink and the metadata endpoint. Declared here as the small subsets the runner uses, so the
 * runner is tested against fakes and composed with the real implementations in cli/.
 */

/** The start parameters of one container (see runtime/runtime.ts for each field's meaning). */
export interface RuntimeContainerSpec {
  id: string;
  layerDirs: string[];
  readonlyRootFilesystem?: boolean;
  args: string[];
  env: string[];
  cwd?: string;
  user?: string;
  hostname?: string;
  extraHosts?: Array<{ hostname: string; ipAddress: string }>;
  netnsPath?: string;
  cgroupParent?: string;
  cpuShares?: number;
  memoryLimitMiB?: number;
  memoryReservationMiB?: number;
  ulimits?: Array<{ name: string; softLimit: number; hardLimit: number }>;
  mounts?: Array<{ source: string; destination: string; readOnly?: boolean }>;
  initProcessEnabled?: boolean;
  logPath: string;
  stopSignal?: string;
}

/** How a container ended. */
export interface RuntimeExit {
  exitCode: number;
  oomKilled: boolean;
  exitedAt: Date;
}

/** A container's cgroup statistics (see runtime/runtime.ts ContainerStats). */
export interface RuntimeStats {
  readAt: Date;
  cpuUsageNs: number;
  cpuPerCpuNs: number[];
  systemCpuUsageNs: number;
  onlineCpus: number;
  memoryUsageBytes: number;
  memoryMaxUsageBytes: number;
  memoryLimitBytes: number;
  memoryStat: Record<string, number>;
  pids: number;
}

/** The container runtime subset the runner uses. */
export interface RunnerRuntime {
  stats(id: string): Promise<RuntimeStats | undefined>;
  start(spec: RuntimeContainerSpec): Promise<{ pid: number; startedAt: Date }>;
  kill(id: string, signal: string): Promise<void>;
  wait(id: string): Promise<RuntimeExit>;
  status(id: string): Promise<{ status: 'created' | 'running' | 'stopped'; pid?: number; exit?: RuntimeExit } | undefined>;
  exec(id: string, args: string[], options: { timeoutMs: number; env?: string[] }): Promise<{ exitCode: number; output: string; timedOut: boolean }>;
  remove(id: string): Promise<void>;
  setTaskLimits(cgroupParent: string, limits: { cpuUnits?: number; memoryMiB?: number }): Promise<void>;
  removeTaskCgroup(cgroupParent: string): Promise<void>;
}

/** A task's network, as the network layer hands it over. */
export interface RunnerNetwork {
  netnsPath: string;
  ipv4Address: string;
  subnetCidr: string;
  gateway: string;
  macAddress: string;
  interfaceName: string;
  privateDnsName: string;
  /** The ENI id the task's attachment shows. */
  networkInterfaceId: string;
}

/** The network layer subset the runner uses. */
export interface RunnerNetworks {
  setup(req: {
    taskId: string;
    portMappings: Array<{ containerPort: number; hostPort?: number; protocol: 'tcp' | 'udp' }>;
    hostname?: string;
    region?: string;
  }): Promise<RunnerNetwork>;
  teardown(taskId: string): Promise<void>;
}

/** A pulled image: its digest, config defaults and unpacked layers. */
export interface RunnerImage {
  manifestDigest: string;
  config: {
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Env?: string[] | null;
    WorkingDir?: string;
    User?: string;
    StopSignal?: string;
  };
  layerDirs: string[];
}

/** The image store subset the runner uses. */
export interface RunnerImages {
  pull(image: string, options?: { auth?: { username: string; password: string }; region?: string }): Promise<RunnerImage>;
}

/** Where a container's log lines go (the awslogs driver's destination). */
export interface LogTarget {
  region: string;
  group: string;
  stream: string;
  createGroup: boolean;
}

/** Receives log events of containers that use a log driver the platform implements. */
export type LogSink = (target: LogTarget, events: Array<{ timestamp: number; message: string }>) => Promise<void>;

/** What the metadata endpoint serves for one container: ECS's v4 JSON documents. */
export interface MetadataProvider {
  container(): unknown;
  task(): unknown;
  containerStats(): Promise<unknown>;
  taskStats(): Promise<unknown>;
}

/** The task metadata endpoint: containers are registered under a token and found by it. */
export interface MetadataEndpoint {
  /** Serves `provider` and returns the base URI (ECS_CONTAINER_METADATA_URI_V4), reachable from a task on `gateway`. */
  register(gateway: string, token: string, provider: MetadataProvider): Promise<string>;
  unregister(token: string): void;
}

/** Resolves a container secret's `valueFrom` (Secrets Manager or SSM reference) to its value. */
export type SecretResolver = (valueFrom: string, region: string) => Promise<string>;
