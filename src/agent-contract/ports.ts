/**
 * The ports an agent's task runner uses that the control plane implements too: in one process the
 * log service and the secret stores serve them directly, on a remote agent the agent protocol
 * carries them (`/agent/v1/logs`, `/agent/v1/secrets`).
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
