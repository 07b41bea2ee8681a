import type { LogTarget, RoleCredentialsResult } from './ports.js';
import type { AgentRegistration } from './registration.js';
import type { StopReason, TaskLaunchSpec, TaskStateChange } from './task-contract.js';
import type { TaskFirewall } from './task-firewall.js';
import type { TaskUsage } from './task-usage.js';

/**
 * The wire shapes of the control plane ↔ agent protocol: JSON bodies over HTTP, every request
 * with `Authorization: Bearer <join token>`. The protocol is level-triggered: each poll states
 * everything the agent remembers, and the answer is computed from that and the control plane's
 * records alone, so a lost request or a restart on either side changes nothing but latency.
 */

/** Where the protocol's routes live on the control plane's front door. */
export const AGENT_API_PREFIX = '/agent/v1';

/** The longest a poll is held when there is nothing to do. */
export const MAX_POLL_HOLD_MS = 20_000;

/** `POST /agent/v1/register`: the agent joins (or re-joins with its ARN). */
export interface RegisterRequest extends AgentRegistration {
  /** The region of the cluster (the agent's configured region). */
  region: string;
}

/** The answer to a registration. */
export interface RegisterResponse {
  containerInstanceArn: string;
  /** The account the cluster belongs to (the agent pulls this account's ECR images from the control plane). */
  accountId: string;
  /** How long the control plane holds a poll at most, in seconds. */
  pollSeconds: number;
  /**
   * The instance's own credential: every later request about this instance carries it in the
   * `x-minato-instance-secret` header (and a re-join with the ARN must), so that one agent cannot
   * act as another although all share the join token.
   */
  instanceSecret: string;
}

/** The header that carries an instance's credential. */
export const INSTANCE_SECRET_HEADER = 'x-minato-instance-secret';

/** `POST /agent/v1/poll`: the agent's view; a heartbeat too. */
export interface PollRequest {
  containerInstanceArn: string;
  /** Every task the agent remembers: running, stopping, or stopped and not yet forgotten. */
  known: string[];
  /** The subset of `known` the agent is stopping already (no stop order is sent for them). */
  stopping: string[];
  /** The subset of `known` that is STOPPED on the agent (forgotten once the control plane agrees). */
  stopped: string[];
  /**
   * The firewall each task of `known` holds, by task ARN: its `firewallDigest`; tasks without one
   * are absent. An agent that enforces security groups always sends it (empty at first); one that
   * does not omits it, and gets no firewall, neither in its launches nor as a FirewallOrder.
   */
  firewalls?: Record<string, string>;
}

/** Credentials for pulls from the control plane's own registry. */
export interface RegistryAuth {
  username: string;
  password: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** One task to start. */
export interface LaunchOrder {
  spec: TaskLaunchSpec;
  registryAuth?: RegistryAuth;
}

/** One task to stop. */
export interface StopOrder {
  taskArn: string;
  reason: StopReason;
}

/**
 * The current firewall of a running task whose firewall the agent states differently (its groups'
 * rules or members changed, or the agent restarted): the agent replaces the task's rules with it.
 */
export interface FirewallOrder {
  taskArn: string;
  firewall: TaskFirewall;
}

/** What the agent is to do now. */
export interface PollResponse {
  launch: LaunchOrder[];
  stop: StopOrder[];
  /** Stopped tasks the control plane has recorded as STOPPED: the agent may drop everything about them. */
  forget: string[];
  /** Firewalls to apply (absent from an older control plane, or for an agent that sent no `firewalls`). */
  firewalls?: FirewallOrder[];
}

/** One state change of a task, as the agent's TaskReporter produced it. */
export interface TaskReport {
  taskArn: string;
  change: TaskStateChange;
}

/** `POST /agent/v1/reports`: state changes in the order they happened. */
export interface ReportsRequest {
  containerInstanceArn: string;
  reports: TaskReport[];
}

/** How many reports, from the first, were applied (the agent resends the rest). */
export interface ReportsResponse {
  accepted: number;
}

/** `POST /agent/v1/secrets`: a container secret of a task on the agent. */
export interface SecretRequest {
  containerInstanceArn: string;
  valueFrom: string;
  region: string;
}

/** The secret's value. */
export interface SecretResponse {
  value: string;
}

/**
 * `POST /agent/v1/task-protection`: a task on the agent reads (without `protectionEnabled`) or
 * sets its scale-in protection through the agent endpoint; the answer is a ProtectionOutcome.
 */
export interface TaskProtectionRequest {
  containerInstanceArn: string;
  taskArn: string;
  protectionEnabled?: boolean;
  expiresInMinutes?: number;
}

/** `POST /agent/v1/credentials`: the credentials of a role (task or execution role) of a task on the agent. */
export interface CredentialsRequest {
  containerInstanceArn: string;
  taskArn: string;
  roleArn: string;
}

/** The credentials, or ECS's reason the role cannot be assumed (`RoleCredentialsResult`). */
export type CredentialsResponse = RoleCredentialsResult;

/** `POST /agent/v1/logs`: awslogs events of a container on the agent. */
export interface LogsRequest {
  containerInstanceArn: string;
  target: LogTarget;
  events: Array<{ timestamp: number; message: string }>;
}

/** `POST /agent/v1/usage`: what the agent's tasks used over its last sampling period. */
export interface UsageRequest {
  containerInstanceArn: string;
  /** When the reading was taken (epoch milliseconds). */
  timestamp: number;
  /** When the reading before it was taken: the use is measured over the interval between the two. */
  since?: number;
  tasks: TaskUsage[];
}

/** The answer: the clusters of the instance's tasks that have Container Insights on (their performance events are written). */
export interface UsageResponse {
  insightsClusters: string[];
}

/** The body of every error answer (4xx, 5xx). */
export interface ProtocolError {
  code: string;
  message: string;
}

/** Error codes of the protocol. */
export const ProtocolErrorCode = {
  /** Missing or wrong join token (401). */
  Unauthorized: 'Unauthorized',
  /** A body that is not the expected JSON shape (400). */
  BadRequest: 'BadRequest',
  /** The container instance is not registered (404): the agent registers again. */
  UnknownInstance: 'UnknownInstance',
  /** A secret no task on the instance references (403). */
  Forbidden: 'Forbidden',
  /** A secret could not be resolved (422): the message is ECS's task failure text. */
  SecretFailed: 'SecretFailed',
} as const;
/** One of {@link ProtocolErrorCode}. */
export type ProtocolErrorCode = (typeof ProtocolErrorCode)[keyof typeof ProtocolErrorCode];
