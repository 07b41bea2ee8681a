import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { LogSink, SecretResolver, TaskRoleCredentialSource } from '../agent-contract/ports.js';
import { agentRoutes } from '../agent-gateway/agent-routes.js';
import { MAX_POLL_HOLD_MS } from '../agent-contract/protocol.js';
import { startDisconnectSweeper, type RemoteAgents } from '../agent-gateway/remote-agents.js';
import type { ContainerInstanceRegistry } from '../control/container-instances/container-instance.js';
import type { EcsControl } from '../control/ecs-control.js';
import type { Registry } from '../registry/registry.js';
import type { UsageResponse } from '../agent-contract/protocol.js';
import type { TaskUsage } from '../agent-contract/task-usage.js';
import { taskProtectionPort } from './task-protection-port.js';
import type { TaskFirewalls } from './task-firewalls.js';

/** The default time after which a silent agent is marked disconnected. */
export const AGENT_DISCONNECT_TIMEOUT_MS = 120_000;

/** How long the pull credentials sent with a launch to a remote agent live. */
const AGENT_PULL_TOKEN_MS = 15 * 60 * 1000;

/** What the control plane's side of the agent protocol is composed from. */
export interface AgentProtocolParts {
  token: string;
  /** The key instance credentials are derived with. */
  instanceKey: string;
  accountId: string;
  instances: ContainerInstanceRegistry;
  agents: RemoteAgents;
  ecs: EcsControl;
  report: (taskArn: string, change: object) => Promise<void>;
  secrets: SecretResolver;
  credentials: TaskRoleCredentialSource;
  logs: LogSink;
  /** Publishes what an agent's tasks used (see cli/agent-usage.ts). */
  usage(containerInstanceArn: string, tasks: TaskUsage[], timestamp: number, since: number | undefined): Promise<UsageResponse>;
  registry: Registry;
  /** The firewalls of the instances' awsvpc tasks (cli/task-firewalls.ts): their agents keep them current. */
  firewalls?: Pick<TaskFirewalls, 'forInstance'>;
  logger: Logger;
  disconnectTimeoutMs?: number;
}

/** The agent protocol's routes for the front door, and the disconnect sweeper's start (which returns its stop). */
export function serveAgents(parts: AgentProtocolParts): { routes: (app: FastifyInstance) => Promise<void>; startSweeper: () => () => void } {
  const { ecs, accountId, logger } = parts;
  const disconnectMs = parts.disconnectTimeoutMs ?? AGENT_DISCONNECT_TIMEOUT_MS;
  const routes = agentRoutes({
    token: parts.token,
    instanceKey: parts.instanceKey,
    accountId,
    instances: parts.instances,
    agents: parts.agents,
    tasksOf: async (arn) => (await ecs.tasks.unfinished()).filter((t) => t.containerInstanceArn === arn),
    launchSpecOf: async (taskArn) => {
      const task = (await ecs.tasks.unfinished()).find((t) => t.taskArn === taskArn);
      return task && ecs.tasks.launchSpecOf(task, accountId);
    },
    ...(parts.firewalls && { firewallsOf: (arn: string) => parts.firewalls!.forInstance(arn) }),
    report: parts.report,
    secrets: parts.secrets,
    credentials: parts.credentials,
    logs: parts.logs,
    usage: parts.usage,
    protection: taskProtectionPort(() => ecs.taskProtection),
    registryAuth: (region) => {
      const expiresAt = Date.now() + AGENT_PULL_TOKEN_MS;
      return { username: 'AWS', password: parts.registry.tokens.issue({ purpose: 'login', accountId, region, expiresAt }), expiresAt };
    },
    // Held well below the disconnect timeout (a poll's start is a heartbeat), so that an idle
    // agent on a busy host stays connected.
    pollHoldMs: Math.min(MAX_POLL_HOLD_MS, Math.floor(disconnectMs / 3)),
    log: logger,
  });
  const startSweeper = () =>
    startDisconnectSweeper(parts.instances, {
      timeoutMs: disconnectMs,
      onDisconnected: (marked) => logger.warn({ instances: marked.map((m) => m.containerInstanceArn) }, 'agents disconnected'),
      onError: (err) => logger.error({ err }, 'marking disconnected agents failed'),
    });
  return { routes, startSweeper };
}
