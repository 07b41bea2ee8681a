import type { Attribute } from '@aws-sdk/client-ecs';
import { isIPv4 } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LogSink, LogTarget, SecretResolver, TaskProtectionPort, TaskRoleCredentialSource } from '../agent-contract/ports.js';
import type { ContainerInstanceRegistry } from '../control/container-instances/container-instance.js';
import { DomainError } from '../lib/errors.js';
import { rootPrincipal } from '../lib/scope.js';
import type { TaskLaunchSpec, TaskReporter, TaskStateChange } from '../agent-contract/task-contract.js';
import { BadBodyError, num, objectBody, objects, optStr, optStringRecord, str, strings } from './body-checks.js';
import { bearerToken, instanceSecret, tokenMatches } from './join-token.js';
import {
  AGENT_API_PREFIX,
  INSTANCE_SECRET_HEADER,
  ProtocolErrorCode,
  type LaunchOrder,
  type PollResponse,
  type RegisterResponse,
  type RegistryAuth,
  type ReportsResponse,
  type UsageResponse,
} from '../agent-contract/protocol.js';
import type { TaskUsage } from '../agent-contract/task-usage.js';
import type { TaskFirewall } from '../agent-contract/task-firewall.js';
import { ordersFor, type AgentView, type InstanceTask } from './agent-orders.js';
import { taskUsage } from './usage-body.js';
import { parseCidr } from './subnet-routes.js';
import type { RemoteAgents } from './remote-agents.js';

/** The host's address and task subnet a registration may carry, checked. */
function optionalAddresses(body: Record<string, unknown>): { address?: string; taskSubnet?: string } {
  const address = optStr(body, 'address');
  const taskSubnet = optStr(body, 'taskSubnet');
  if (address !== undefined && !isIPv4(address)) throw new BadBodyError('address must be an IPv4 address');
  if (taskSubnet !== undefined && parseCidr(taskSubnet) === undefined) throw new BadBodyError('taskSubnet must be an IPv4 subnet such as 10.215.0.0/16');
  return { ...(address !== undefined && { address }), ...(taskSubnet !== undefined && { taskSubnet }) };
}

/** What the control plane's side of the agent protocol works with (ports, composed in cli/). */
export interface AgentRoutesDeps {
  /** The join token every request must carry. */
  token: string;
  /** The key instance credentials are derived with (see `instanceSecret`). */
  instanceKey: string;
  accountId: string;
  instances: ContainerInstanceRegistry;
  agents: RemoteAgents;
  /** The tasks placed on an instance that are not STOPPED. */
  tasksOf(containerInstanceArn: string): Promise<InstanceTask[]>;
  /** The launch spec of a task (undefined when it can no longer be built, e.g. its definition is gone). */
  launchSpecOf(taskArn: string): Promise<TaskLaunchSpec | undefined>;
  /**
   * The current firewalls of the awsvpc tasks in security groups placed on an instance, by task
   * ARN; without it, agents are given no firewall updates.
   */
  firewallsOf?(containerInstanceArn: string): Promise<Map<string, TaskFirewall>>;
  /**
   * How often a held poll of an agent with firewalls looks for changed ones (groups' rules and
   * members change without waking the instance): the bound on how late a change reaches it. Default 2 s.
   */
  firewallRecheckMs?: number;
  report: TaskReporter;
  secrets: SecretResolver;
  /** The roles of tasks (their credentials endpoint, and the check ECS makes at start). */
  credentials: TaskRoleCredentialSource;
  logs: LogSink;
  /** Takes the measured use of an instance's tasks (already limited to the tasks placed on it) over the interval since `since`. */
  usage(containerInstanceArn: string, tasks: TaskUsage[], timestamp: number, since: number | undefined): Promise<UsageResponse>;
  /** Task scale-in protection for the tasks of an instance (the agent endpoint's calls). */
  protection: TaskProtectionPort;
  /** Short-lived credentials for pulls from the control plane's own registry. */
  registryAuth(region: string): RegistryAuth;
  /** How long a poll with nothing to do is held; below the disconnect timeout, so a held poll keeps its agent connected. */
  pollHoldMs: number;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  now?: () => Date;
}

/** Largest protocol body: a batch of log events or reports (the agent keeps its batches below it). */
export const AGENT_BODY_LIMIT = 4 * 1024 * 1024;

/** An answer of the protocol with a status other than 200. */
class ProtocolFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The control plane's side of the agent protocol, as an encapsulated Fastify plugin for the front
 * door: `/agent/v1/{register,poll,reports,secrets,credentials,task-protection,logs,usage}`, JSON bodies, Bearer join token.
 */
export function agentRoutes(deps: AgentRoutesDeps): (app: FastifyInstance) => Promise<void> {
  const now = deps.now ?? (() => new Date());
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: AGENT_BODY_LIMIT }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string) as unknown);
      } catch {
        done(new BadBodyError('the body is not valid JSON'), undefined);
      }
    });
    app.addHook('onRequest', async (req) => {
      const presented = bearerToken(req.headers.authorization);
      if (presented === undefined || !tokenMatches(presented, deps.token)) {
        throw new ProtocolFailure(401, ProtocolErrorCode.Unauthorized, 'a valid join token is required (Authorization: Bearer <token>)');
      }
    });
    app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
      if (err instanceof ProtocolFailure) return reply.status(err.status).send({ code: err.code, message: err.message });
      if (err instanceof BadBodyError || err instanceof DomainError) return reply.status(400).send({ code: ProtocolErrorCode.BadRequest, message: err.message });
      // Fastify's own refusals (body too large, unsupported media type) keep their status.
      if (err.statusCode !== undefined && err.statusCode < 500) return reply.status(err.statusCode).send({ code: ProtocolErrorCode.BadRequest, message: err.message });
      deps.log.error({ err, url: req.url }, 'agent protocol request failed');
      return reply.status(500).send({ code: 'InternalFailure', message: 'Server error.' });
    });

    const route = (path: string, handler: (body: Record<string, unknown>, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
      app.post(`${AGENT_API_PREFIX}/${path}`, { bodyLimit: AGENT_BODY_LIMIT }, async (req, reply) => handler(objectBody(req.body), req, reply));

    route('register', async (body, req): Promise<RegisterResponse> => {
      const previous = optStr(body, 'containerInstanceArn');
      // Re-joining as a known instance takes its credential; an ARN the cluster does not know
      // (its data was reset) registers a new instance.
      const known = previous === undefined ? undefined : await deps.instances.byArn(previous);
      if (previous !== undefined && known && known.status !== 'INACTIVE') await proveInstance(req, previous);
      const record = await deps.instances.registerAgent(
        { accountId: deps.accountId, region: str(body, 'region'), principalArn: rootPrincipal(deps.accountId), now: now() },
        {
          cluster: str(body, 'cluster'),
          ...(optStr(body, 'containerInstanceArn') !== undefined && { containerInstanceArn: str(body, 'containerInstanceArn') }),
          ...(optStr(body, 'ec2InstanceId') !== undefined && { ec2InstanceId: str(body, 'ec2InstanceId') }),
          host: str(body, 'host'),
          ...optionalAddresses(body),
          agentVersion: str(body, 'agentVersion'),
          attributes: objects(body, 'attributes').map(attribute),
          cpu: num(body, 'cpu'),
          memory: num(body, 'memory'),
        },
      );
      return {
        containerInstanceArn: record.containerInstanceArn,
        accountId: deps.accountId,
        pollSeconds: deps.pollHoldMs / 1000,
        instanceSecret: instanceSecret(deps.instanceKey, record.containerInstanceArn),
      };
    });

    route('poll', async (body, req, reply): Promise<PollResponse> => {
      const arn = str(body, 'containerInstanceArn');
      await proveInstance(req, arn);
      const firewalls = optStringRecord(body, 'firewalls');
      const view: AgentView = { known: strings(body, 'known'), stopping: strings(body, 'stopping'), stopped: strings(body, 'stopped'), ...(firewalls && { firewalls }) };
      await heartbeat(arn);
      // A poll is held until there is work; the agent going away ends the hold.
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      const deadline = Date.now() + deps.pollHoldMs;
      for (let round = 0; round < 10_000; round++) {
        deps.agents.beginPoll(arn);
        const { orders, firewalled } = await pollResponse(arn, view);
        if (orders.launch.length + orders.stop.length + orders.forget.length + (orders.firewalls?.length ?? 0) > 0) return orders;
        const left = deadline - Date.now();
        if (left <= 0 || gone.signal.aborted || deps.agents.isClosed) return orders;
        // Firewalls change with rules and members elsewhere, which wake no instance: looked at again soon.
        await deps.agents.wait(arn, firewalled ? Math.min(left, deps.firewallRecheckMs ?? 2_000) : left, gone.signal);
      }
      return { launch: [], stop: [], forget: [] };
    });

    route('reports', async (body, req): Promise<ReportsResponse> => {
      const arn = str(body, 'containerInstanceArn');
      await proveInstance(req, arn);
      const reports = objects(body, 'reports');
      await heartbeat(arn);
      // An agent reports only on its own tasks; anything else (e.g. a task since moved or
      // forgotten) is acknowledged and dropped, since STOPPED tasks cannot change anyway.
      const mine = new Set((await deps.tasksOf(arn)).map((t) => t.taskArn));
      let accepted = 0;
      for (const r of reports) {
        const taskArn = str(r, 'taskArn');
        const change = objectBody(r.change) as TaskStateChange;
        if (mine.has(taskArn)) {
          try {
            await deps.report(taskArn, change);
          } catch (err) {
            deps.log.warn({ err, taskArn }, 'applying an agent report failed; the agent resends it');
            break;
          }
        }
        accepted++;
      }
      return { accepted };
    });

    route('secrets', async (body, req) => {
      const arn = str(body, 'containerInstanceArn');
      await proveInstance(req, arn);
      const valueFrom = str(body, 'valueFrom');
      // As a task's execution role would, the join token opens only the secrets of the tasks placed on the instance.
      if (!(await referencedOn(arn, valueFrom))) {
        throw new ProtocolFailure(403, ProtocolErrorCode.Forbidden, `no task on container instance ${arn} references ${valueFrom}`);
      }
      try {
        return { value: await deps.secrets(valueFrom, str(body, 'region')) };
      } catch (err) {
        throw new ProtocolFailure(422, ProtocolErrorCode.SecretFailed, (err as Error).message);
      }
    });

    route('task-protection', async (body, req) => {
      const arn = str(body, 'containerInstanceArn');
      await proveInstance(req, arn);
      const taskArn = str(body, 'taskArn');
      // An instance speaks for its own tasks only, as the ECS agent does with each task's role.
      if (!(await deps.tasksOf(arn)).some((t) => t.taskArn === taskArn)) {
        throw new ProtocolFailure(403, ProtocolErrorCode.Forbidden, `task ${taskArn} is not placed on container instance ${arn}`);
      }
      if (body.protectionEnabled === undefined) return deps.protection.get(taskArn);
      if (typeof body.protectionEnabled !== 'boolean') throw new BadBodyError('protectionEnabled must be a boolean');
      const minutes = body.expiresInMinutes;
      if (minutes !== undefined && typeof minutes !== 'number') throw new BadBodyError('expiresInMinutes must be a number');
      // The range is ECS's to check: its InvalidParameterException goes back to the task.
      return deps.protection.update(taskArn, body.protectionEnabled, minutes);
    });

    route('credentials', async (body, req) => {
      const arn = str(body, 'containerInstanceArn');
      await proveInstance(req, arn);
      const taskArn = str(body, 'taskArn');
      const roleArn = str(body, 'roleArn');
      // As ECS hands a task's credentials to its own instance only: a role its tasks name.
      const placed = (await deps.tasksOf(arn)).some((t) => t.taskArn === taskArn);
      const spec = placed ? await deps.launchSpecOf(taskArn) : undefined;
      if (!spec || (spec.taskRoleArn !== roleArn && spec.executionRoleArn !== roleArn)) {
        throw new ProtocolFailure(403, ProtocolErrorCode.Forbidden, `no task ${taskArn} on container instance ${arn} has the role ${roleArn}`);
      }
      return deps.credentials({ taskArn, taskId: spec.taskId, accountId: spec.accountId, roleArn });
    });

    route('logs', async (body, req) => {
      await proveInstance(req, str(body, 'containerInstanceArn'));
      const t = objectBody(body.target);
      const target: LogTarget = { region: str(t, 'region'), group: str(t, 'group'), stream: str(t, 'stream'), createGroup: t.createGroup === true };
      const events = objects(body, 'events').map((e) => ({ timestamp: num(e, 'timestamp'), message: typeof e.message === 'string' ? e.message : '' }));
      await deps.logs(target, events);
      return {};
    });

    route('usage', async (body, req): Promise<UsageResponse> => {
      const arn = str(body, 'containerInstanceArn');
      await proveInstance(req, arn);
      const timestamp = num(body, 'timestamp');
      const since = body.since === undefined ? undefined : num(body, 'since');
      if (since !== undefined && since >= timestamp) throw new BadBodyError('since must be before timestamp');
      // An instance reports on its own tasks only.
      const placed = new Set((await deps.tasksOf(arn)).map((t) => t.taskArn));
      const tasks = objects(body, 'tasks').map(taskUsage).filter((t) => placed.has(t.taskArn));
      return deps.usage(arn, tasks, timestamp, since);
    });
  };

  /**
   * Refuses a request about an instance that does not carry that instance's credential. An
   * unknown instance is said to be unknown first, so that its agent registers anew.
   */
  async function proveInstance(req: FastifyRequest, arn: string): Promise<void> {
    await knownInstance(arn);
    const presented = req.headers[INSTANCE_SECRET_HEADER];
    if (typeof presented !== 'string' || !tokenMatches(presented, instanceSecret(deps.instanceKey, arn))) {
      throw new ProtocolFailure(403, ProtocolErrorCode.Forbidden, `the request does not carry the credential of container instance ${arn}`);
    }
  }

  async function heartbeat(arn: string): Promise<void> {
    if (!(await deps.instances.heartbeat(arn, now()))) throw unknownInstance(arn);
  }

  async function knownInstance(arn: string): Promise<void> {
    const record = await deps.instances.byArn(arn);
    if (!record || record.status === 'INACTIVE') throw unknownInstance(arn);
  }

  async function referencedOn(arn: string, valueFrom: string): Promise<boolean> {
    for (const task of await deps.tasksOf(arn)) {
      const spec = await deps.launchSpecOf(task.taskArn);
      const defs = spec?.containerDefinitions ?? [];
      if (defs.some((c) => c.repositoryCredentials?.credentialsParameter === valueFrom || (c.secrets ?? []).some((x) => x.valueFrom === valueFrom))) return true;
    }
    return false;
  }

  /**
   * The orders for an agent's view; `firewalled` when some of its tasks have a firewall. An agent
   * that states no firewalls (an older one) is given none: it could not keep them current. A
   * launch carries the task's firewall, which its network is made with; while the firewalls
   * cannot be computed, awsvpc tasks are not launched (rather than launched open) and the running
   * ones keep theirs.
   */
  async function pollResponse(arn: string, view: AgentView): Promise<{ orders: PollResponse; firewalled: boolean }> {
    let tasks = await deps.tasksOf(arn);
    let firewalls: Map<string, TaskFirewall> | undefined;
    let unknownFirewalls = false;
    if (view.firewalls && deps.firewallsOf) {
      try {
        firewalls = await deps.firewallsOf(arn);
        const known = firewalls;
        tasks = tasks.map((t) => (known.has(t.taskArn) ? { ...t, firewall: known.get(t.taskArn)! } : t));
      } catch (err) {
        deps.log.warn({ err, containerInstanceArn: arn }, 'computing the firewalls of an instance\'s tasks failed');
        unknownFirewalls = true;
      }
    }
    const r = ordersFor(tasks, view);
    const at = now().getTime();
    const markStopped = async (taskArn: string, reason: { stopCode: string; stoppedReason: string }) =>
      deps.report(taskArn, { lastStatus: 'STOPPED', stopCode: reason.stopCode, stoppedReason: reason.stoppedReason, stoppingAt: at, stoppedAt: at, executionStoppedAt: at });
    for (const m of r.markStopped) await markStopped(m.taskArn, m.reason);
    const launch: LaunchOrder[] = [];
    for (const taskArn of r.launch) {
      const spec = await deps.launchSpecOf(taskArn);
      if (!spec) {
        await markStopped(taskArn, { stopCode: 'TaskFailedToStart', stoppedReason: 'Task stopped: its task definition can no longer be read' });
        continue;
      }
      if (unknownFirewalls && spec.networkMode === 'awsvpc') continue;
      const firewall = firewalls?.get(taskArn);
      launch.push({ spec: firewall ? { ...spec, firewall } : spec, registryAuth: deps.registryAuth(spec.region) });
    }
    return { orders: { launch, stop: r.stop, forget: r.forget, ...(view.firewalls && { firewalls: r.firewalls }) }, firewalled: unknownFirewalls || (firewalls?.size ?? 0) > 0 };
  }
}

function unknownInstance(arn: string): ProtocolFailure {
  return new ProtocolFailure(404, ProtocolErrorCode.UnknownInstance, `container instance ${arn} is not registered`);
}

function attribute(a: Record<string, unknown>): Attribute {
  const name = str(a, 'name');
  const value = optStr(a, 'value');
  return value === undefined ? { name } : { name, value };
}
