/**
 * The ports an agent's task runner uses that the control plane implements too: in one process the
 * log service and the secret stores serve them directly, on a remote agent the agent protocol
 * carries them (`/agent/v1/logs`, `/agent/v1/secrets`, `/agent/v1/task-protection`).
 */

/** Where a container's log lines go (the awslogs driver's destination). */
export interface LogTarget {
  region: string;
  group: string;
  stream: string;
  createGroup: boolean;
}

/** Receives log events of containers that use a log driver the platform implements. */
export type LogSink = (target: LogTarget, events: Array<{ timestamp: number; message: string }>) => Promise<void>;

/** Resolves a container secret's `valueFrom` (Secrets Manager or SSM reference) to its value. */
export type SecretResolver = (valueFrom: string, region: string) => Promise<string>;

/** A task's scale-in protection as ECS answers it (ProtectedTask; expirationDate in epoch ms). */
export interface ProtectionState {
  taskArn: string;
  protectionEnabled: boolean;
  expirationDate?: number;
}

/**
 * What a task protection call comes to: the task's protection, ECS's failure for the task (e.g.
 * TASK_NOT_VALID for a task outside a service), or the error ECS answered with (its exception
 * name, message and HTTP status).
 */
export type ProtectionOutcome =
  | { protection: ProtectionState }
  | { failure: { arn?: string; reason?: string; detail?: string } }
  | { error: { code: string; message: string; status: number } };

/**
 * The task scale-in protection of ECS (GetTaskProtection, UpdateTaskProtection) for one task, as
 * the agent's endpoint `${ECS_AGENT_URI}/task-protection/v1/state` calls it on the task's behalf.
 * In one process the ECS domain serves it; on a remote agent the protocol carries it
 * (`/agent/v1/task-protection`).
 */
export interface TaskProtectionPort {
  get(taskArn: string): Promise<ProtectionOutcome>;
  update(taskArn: string, protectionEnabled: boolean, expiresInMinutes?: number): Promise<ProtectionOutcome>;
}
/** A role's temporary credentials as the ECS agent's credentials endpoint returns them. */
export interface RoleCredentials {
  RoleArn: string;
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  /** ISO 8601, to the second (`2026-01-01T06:00:00Z`). */
  Expiration: string;
}

/** A role's credentials for a task, or ECS's stopped reason when the role cannot be assumed. */
export type RoleCredentialsResult = { ok: true; credentials: RoleCredentials } | { ok: false; reason: string };

/**
 * Assumes a task's role (its taskRoleArn or executionRoleArn) as ecs-tasks.amazonaws.com, in a
 * session named by the task id. In one process the platform's STS answers; a remote agent asks
 * through the agent protocol (`/agent/v1/credentials`), which hands out only the roles of its tasks.
 */
export type TaskRoleCredentialSource = (request: { taskArn: string; taskId: string; accountId: string; roleArn: string }) => Promise<RoleCredentialsResult>;
