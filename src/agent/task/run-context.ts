import type { ContainerDefinition, ContainerOverride } from '@aws-sdk/client-ecs';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { TaskLaunchSpec, TaskReporter } from '../../agent-contract/task-contract.js';
import { runtimeIdOf, taskDir } from './container-spec.js';
import type { ContainerProgress } from './dependencies.js';
import type { Health, HealthChecker } from './health-check.js';
import type { LogForwarder } from './log-forwarder.js';
import type { LogSink, RoleCredentials, SecretResolver, TaskRoleCredentialSource } from '../../agent-contract/ports.js';
import type { MetadataEndpoint, RunnerImage, RunnerImages, RunnerNetwork, RunnerNetworks, RunnerRuntime, RuntimeStats } from './ports.js';
import type { StartSlots } from './start-slots.js';

/** What a task run needs from the agent. */
export interface TaskRunDeps {
  runtime: RunnerRuntime;
  networks: RunnerNetworks;
  images: RunnerImages;
  logs: LogSink;
  metadata: MetadataEndpoint;
  secrets?: SecretResolver;
  /** Assumes the task's roles; without it, roles are neither checked nor served. */
  credentials?: TaskRoleCredentialSource;
  /**
   * The URL of the platform's AWS endpoint as a task on `gateway` reaches it (AWS_ENDPOINT_URL);
   * undefined when tasks cannot reach it.
   */
  taskEndpoint?: (gateway: string) => Promise<string | undefined>;
  report: TaskReporter;
  /** Root of the per-task directories (logs, ephemeral volumes). */
  tasksDir: string;
  /** Root of the FireLens `s3` archive (one directory per bucket). */
  archiveDir: string;
  log: Logger;
  /** Bounds the CPU-heavy steps of concurrent starts (network setup, container starts); unbounded without. */
  startSlots?: StartSlots;
}

/** One container's live state inside a run. */
export interface ContainerState extends ContainerProgress {
  def: ContainerDefinition;
  runtimeId: string;
  image?: RunnerImage;
  health?: Health;
  checker?: HealthChecker;
  forwarder?: LogForwarder;
  /** The metadata endpoint token: chosen once, saved with the run, kept across restarts. */
  token: string;
  startedAt?: number;
  secretEnv?: string[];
  fileEnv?: string[];
  /** The previous stats sample, for Docker's precpu_stats. */
  lastStats?: RuntimeStats;
}

/** The task's timestamps that are reported, served as metadata and saved with the run. */
export interface RunTimestamps {
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
}

/** The state of one task run, shared by the runner and its hooks. */
export interface RunContext {
  readonly spec: TaskLaunchSpec;
  readonly deps: TaskRunDeps;
  readonly containers: ReadonlyMap<string, ContainerState>;
  /** The task's directory (logs, ephemeral volumes, run.json). */
  readonly dir: string;
  /** The task's cgroup, below which its containers' cgroups are. */
  readonly cgroupParent: string;
  network: RunnerNetwork | undefined;
  /** The task's status as the metadata endpoint shows it (PROVISIONING, PENDING, RUNNING). */
  status: string;
  readonly timestamps: RunTimestamps;
  /** The ENI attachment id reported for an awsvpc task. */
  attachmentId: string;
  /** The unguessable id of the task's role credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI); saved with the run. */
  credentialsId: string;
  /** The task role's credentials last handed out (never saved: fetched again after a restart). */
  taskCredentials?: RoleCredentials;
  /** Reports a state change of the task; a failed report is logged, never thrown. */
  report(change: Parameters<TaskReporter>[1]): Promise<void>;
}

/** A new run's context: every container PENDING with a fresh metadata token. */
export function createRunContext(spec: TaskLaunchSpec, deps: TaskRunDeps): RunContext {
  const containers = new Map<string, ContainerState>();
  for (const def of spec.containerDefinitions) {
    containers.set(def.name!, { def, status: 'PENDING', runtimeId: runtimeIdOf(spec.taskId, def.name!), token: randomUUID() });
  }
  return {
    spec,
    deps,
    containers,
    dir: taskDir(deps.tasksDir, spec.taskId),
    cgroupParent: taskCgroupParent(spec.taskId),
    network: undefined,
    status: 'PROVISIONING',
    timestamps: {},
    attachmentId: randomUUID(),
    credentialsId: randomUUID(),
    report: (change) => deps.report(spec.taskArn, change).catch((err: unknown) => deps.log.error({ err }, 'task report failed')),
  };
}

/** The RunTask override of one container, if any. */
export const overrideOf = (spec: TaskLaunchSpec, name: string): ContainerOverride | undefined =>
  spec.overrides.containerOverrides?.find((o) => o.name === name);

/** The clock of the reported timestamps. */
export const now = () => Date.now();

/** A failure before the task ran, carrying the stopped reason ECS would give. */
export class TaskStartError extends Error {}

/** The stopped reason of a failed start: a TaskStartError's own, else the message under `prefix`. */
export const startFailureReason = (err: unknown, prefix = 'TaskFailedToStart'): string =>
  err instanceof TaskStartError ? err.message : `${prefix}: ${(err as Error).message}`;

/** The cgroup (relative to each hierarchy's root) a task's containers and limits live under. */
export function taskCgroupParent(taskId: string): string {
  return `minato/${taskId}`;
}
