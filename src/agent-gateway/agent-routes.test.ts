import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskLaunchSpec, TaskStateChange } from '../agent-contract/task-contract.js';
import { firewallDigest, type TaskFirewall } from '../agent-contract/task-firewall.js';
import { agentRoutes } from './agent-routes.js';
import { MemoryInstanceRegistry } from './instance-registry.fixtures.js';
import type { InstanceTask } from './agent-orders.js';
import { RemoteAgents } from './remote-agents.js';

const TOKEN = 'join-token-for-tests-0123456789';

function setup(holdMs = 2_000) {
  const tasks = new Map<string, InstanceTask & { instance: string }>();
  const firewalls = new Map<string, TaskFirewall>();
  const reports: Array<[string, TaskStateChange]> = [];
  const logged: string[] = [];
  const protections: unknown[][] = [];
  const usage: Array<[string, number, number | undefined, string[]]> = [];
  const agents = new RemoteAgents({ launch: () => {}, stop: () => {}, capacity: () => ({ cpu: 0, memory: 0 }) });
  const instances = new MemoryInstanceRegistry();
  const app: FastifyInstance = Fastify();
  void app.register(
    agentRoutes({
      token: TOKEN,
      instanceKey: 'instance-key-for-tests',
      accountId: '123456789012',
      instances,
      agents,
      tasksOf: async (arn) => [...tasks.values()].filter((t) => t.instance === arn && t.lastStatus !== 'STOPPED'),
      launchSpecOf: async (taskArn) => ({ taskArn, region: 'us-east-1', ...(taskArn.startsWith('vpc-') && { networkMode: 'awsvpc' }), ...(taskArn === 'with-role' && { taskId: 'id-with-role', accountId: '123456789012', taskRoleArn: 'arn:aws:iam::123456789012:role/app' }), ...(taskArn === 'with-secrets' && { containerDefinitions: [{ name: 'app', secrets: [{ name: 'A', valueFrom: 'a' }, { name: 'M', valueFrom: 'missing' }] }] }) }) as TaskLaunchSpec,
      firewallsOf: async (arn) => {
        if (firewalls.has('broken')) throw new Error('the groups cannot be read');
        return new Map([...firewalls].filter(([taskArn]) => tasks.get(taskArn)?.instance === arn));
      },
      firewallRecheckMs: 100,
      report: async (taskArn, change) => {
        reports.push([taskArn, change]);
        const t = tasks.get(taskArn);
        if (t && change.lastStatus) t.lastStatus = change.lastStatus;
      },
      secrets: async (valueFrom) => {
        if (valueFrom === 'missing') throw new Error('ResourceInitializationError: unable to pull secrets or registry auth: not found');
        return `value-of-${valueFrom}`;
      },
      credentials: async ({ roleArn, taskId }) => ({
        ok: true,
        credentials: { RoleArn: roleArn, AccessKeyId: `ASIA-${taskId}`, SecretAccessKey: 's', Token: 't', Expiration: '2030-01-01T00:00:00Z' },
      }),
      logs: async (_target, events) => void logged.push(...events.map((e) => e.message)),
      usage: async (arn, used, timestamp, since) => {
        usage.push([arn, timestamp, since, used.map((t) => t.taskArn)]);
        return { insightsClusters: ['arn:aws:ecs:us-east-1:123456789012:cluster/default'] };
      },
      protection: {
        get: async (taskArn) => (protections.push(['get', taskArn]), { protection: { taskArn, protectionEnabled: false } }),
        update: async (taskArn, enabled, minutes) => (protections.push(['update', taskArn, enabled, minutes]), { protection: { taskArn, protectionEnabled: enabled, expirationDate: 5 } }),
      },
      registryAuth: (region) => ({ username: 'AWS', password: `token-${region}`, expiresAt: 1 }),
      pollHoldMs: holdMs,
      log: { warn: () => {}, error: () => {} },
    }),
  );
  // The credential each registered instance was given, presented with every request about it.
  const credentials = new Map<string, string>();
  const post = async (path: string, body: unknown, token = TOKEN, secret?: string) => {
    const arn = (body as { containerInstanceArn?: string }).containerInstanceArn;
    const presented = secret ?? (arn === undefined ? undefined : credentials.get(arn));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(presented && { 'x-minato-instance-secret': presented }) };
    const res = await app.inject({ method: 'POST', url: `/agent/v1/${path}`, headers, payload: JSON.stringify(body) });
    const answer = { status: res.statusCode, body: res.json<Record<string, unknown>>() };
    if (path === 'register' && typeof answer.body.instanceSecret === 'string') credentials.set(answer.body.containerInstanceArn as string, answer.body.instanceSecret);
    return answer;
  };
  const register = async (extra: object = {}) =>
    (await post('register', { cluster: 'default', region: 'us-east-1', host: '10.0.0.2', agentVersion: '1', attributes: [{ name: 'k', value: 'v' }, { name: 'flag' }], cpu: 1024, memory: 512, ...extra })).body;
  return { app, post, register, tasks, firewalls, reports, logged, protections, usage, agents, instances };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('agent routes', () => {
  it('refuses requests without the join token', async () => {
    const env = setup();
    app = env.app;
    expect((await env.post('register', {}, 'wrong')).status).toBe(401);
    const res = await env.app.inject({ method: 'POST', url: '/agent/v1/poll', payload: {} });
    expect(res.statusCode).toBe(401);
  });

  it('gives each instance its own credential: another agent with the join token cannot act as it', async () => {
    const env = setup();
    app = env.app;
    const a = await env.register();
    const b = await env.register({ host: '10.0.0.3' });
    const arnA = a.containerInstanceArn as string;
    expect(a.instanceSecret).toEqual(expect.any(String));
    expect(a.instanceSecret).not.toBe(b.instanceSecret);
    const poll = { containerInstanceArn: arnA, known: [], stopping: [], stopped: [] };
    // B's credential (or none) does not open A's polls, reports, secrets, logs or a re-join as A.
    for (const [path, body] of [
      ['poll', poll],
      ['reports', { containerInstanceArn: arnA, reports: [] }],
      ['secrets', { containerInstanceArn: arnA, valueFrom: 'a', region: 'us-east-1' }],
      ['logs', { containerInstanceArn: arnA, target: { region: 'us-east-1', group: 'g', stream: 's' }, events: [] }],
      ['register', { cluster: 'default', region: 'us-east-1', host: 'x', agentVersion: '1', attributes: [], cpu: 1, memory: 1, containerInstanceArn: arnA }],
    ] as const) {
      const res = await env.post(path, body, TOKEN, b.instanceSecret as string);
      expect([path, res.status, res.body.code]).toEqual([path, 403, 'Forbidden']);
    }
    expect((await env.post('reports', { containerInstanceArn: arnA, reports: [] })).status).toBe(200);
  });

  it('registers with attributes, and re-registers the same instance by its ARN', async () => {
    const env = setup();
    app = env.app;
    const first = await env.register();
    expect(first).toMatchObject({ accountId: '123456789012', pollSeconds: 2 });
    const arn = first.containerInstanceArn as string;
    expect(arn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:container-instance\/default\//);
    expect(env.instances.records.get(arn)?.attributes).toEqual([{ name: 'k', value: 'v' }, { name: 'flag' }]);
    expect((await env.register({ containerInstanceArn: arn })).containerInstanceArn).toBe(arn);
    expect((await env.post('register', { cluster: 'default' })).status).toBe(400);
  });

  it('records the host address and task subnet an agent reports, and refuses malformed ones', async () => {
    const env = setup();
    app = env.app;
    const arn = (await env.register({ address: '10.0.0.2', taskSubnet: '10.215.0.0/16' })).containerInstanceArn as string;
    expect(env.instances.records.get(arn)).toMatchObject({ address: '10.0.0.2', taskSubnet: '10.215.0.0/16' });
    const base = { cluster: 'default', region: 'us-east-1', host: 'x', agentVersion: '1', attributes: [], cpu: 1, memory: 1 };
    expect((await env.post('register', { ...base, address: 'host.example' })).status).toBe(400);
    expect((await env.post('register', { ...base, taskSubnet: '10.215.0.1/16' })).status).toBe(400);
  });

  it('holds a poll until a task is placed, then answers with its launch and registry credentials', async () => {
    const env = setup(5_000);
    app = env.app;
    const arn = (await env.register()).containerInstanceArn as string;
    const started = Date.now();
    const polled = env.post('poll', { containerInstanceArn: arn, known: [], stopping: [], stopped: [] });
    setTimeout(() => {
      env.tasks.set('t1', { taskArn: 't1', lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', instance: arn });
      env.agents.wake(arn);
    }, 100);
    const res = await polled;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(res.body).toEqual({ launch: [{ spec: { taskArn: 't1', region: 'us-east-1' }, registryAuth: { username: 'AWS', password: 'token-us-east-1', expiresAt: 1 } }], stop: [], forget: [] });
  });

  it('gives each running task\'s firewall at launch and again when it changes, to agents that state theirs', async () => {
    const env = setup(5_000);
    app = env.app;
    const arn = (await env.register()).containerInstanceArn as string;
    const first: TaskFirewall = { ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['10.215.0.2/32'] }], egress: [] };
    env.tasks.set('t1', { taskArn: 't1', lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', instance: arn });
    env.firewalls.set('t1', first);
    // An agent that states no firewalls gets none, not even in the launch.
    const old = await env.post('poll', { containerInstanceArn: arn, known: [], stopping: [], stopped: [] });
    expect(old.body).toEqual({ launch: [expect.objectContaining({ spec: { taskArn: 't1', region: 'us-east-1' } })], stop: [], forget: [] });
    const launched = await env.post('poll', { containerInstanceArn: arn, known: [], stopping: [], stopped: [], firewalls: {} });
    expect(launched.body).toEqual({ launch: [expect.objectContaining({ spec: { taskArn: 't1', region: 'us-east-1', firewall: first } })], stop: [], forget: [], firewalls: [] });
    env.tasks.get('t1')!.lastStatus = 'RUNNING';
    // Holding the launch's firewall: held until the firewall changes, which is seen within the recheck.
    const started = Date.now();
    const held = env.post('poll', { containerInstanceArn: arn, known: ['t1'], stopping: [], stopped: [], firewalls: { t1: firewallDigest(first) } });
    const second: TaskFirewall = { ingress: [], egress: [] };
    setTimeout(() => env.firewalls.set('t1', second), 300);
    const changed = await held;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(changed.body).toEqual({ launch: [], stop: [], forget: [], firewalls: [{ taskArn: 't1', firewall: second }] });
    // A restarted agent holds none: it is given the current one at once.
    expect((await env.post('poll', { containerInstanceArn: arn, known: ['t1'], firewalls: {} })).body.firewalls).toEqual([{ taskArn: 't1', firewall: second }]);
    expect((await env.post('poll', { containerInstanceArn: arn, known: ['t1'], firewalls: { t1: 5 } })).status).toBe(400);
    // While the firewalls cannot be computed, an awsvpc task is not launched open; others are.
    env.firewalls.set('broken', second);
    env.tasks.set('vpc-2', { taskArn: 'vpc-2', lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', instance: arn });
    env.tasks.set('t3', { taskArn: 't3', lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', instance: arn });
    const withheld = await env.post('poll', { containerInstanceArn: arn, known: ['t1'], firewalls: { t1: firewallDigest(second) } });
    expect(withheld.body).toEqual({ launch: [expect.objectContaining({ spec: { taskArn: 't3', region: 'us-east-1' } })], stop: [], forget: [], firewalls: [] });
    env.firewalls.delete('broken');
    const vpc = await env.post('poll', { containerInstanceArn: arn, known: ['t1', 't3'], firewalls: { t1: firewallDigest(second) } });
    expect(vpc.body.launch).toEqual([expect.objectContaining({ spec: { taskArn: 'vpc-2', region: 'us-east-1', networkMode: 'awsvpc' } })]);
  });

  it('answers an idle poll empty after the hold, and 404 for an unknown instance', async () => {
    const env = setup(200);
    app = env.app;
    const arn = (await env.register()).containerInstanceArn as string;
    expect((await env.post('poll', { containerInstanceArn: arn })).body).toEqual({ launch: [], stop: [], forget: [] });
    expect((await env.post('poll', { containerInstanceArn: 'arn:nope' })).body).toMatchObject({ code: 'UnknownInstance' });
  });

  it('marks a running task the re-joined agent does not know as STOPPED', async () => {
    const env = setup(100);
    app = env.app;
    const arn = (await env.register()).containerInstanceArn as string;
    env.tasks.set('lost', { taskArn: 'lost', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', instance: arn });
    await env.post('poll', { containerInstanceArn: arn, known: [] });
    expect(env.reports).toEqual([['lost', expect.objectContaining({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' })]]);
  });

  it('applies reports of its own tasks in order and acknowledges the others', async () => {
    const env = setup();
    app = env.app;
    const arn = (await env.register()).containerInstanceArn as string;
    env.tasks.set('t1', { taskArn: 't1', lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', instance: arn });
    const res = await env.post('reports', {
      containerInstanceArn: arn,
      reports: [
        { taskArn: 't1', change: { lastStatus: 'PENDING' } },
        { taskArn: 'other', change: { lastStatus: 'STOPPED' } },
        { taskArn: 't1', change: { lastStatus: 'RUNNING' } },
      ],
    });
    expect(res.body).toEqual({ accepted: 3 });
    expect(env.reports.map(([t, c]) => `${t} ${c.lastStatus}`)).toEqual(['t1 PENDING', 't1 RUNNING']);
  });

  it('resolves secrets with ECS failure texts, and takes log events', async () => {
    const env = setup();
    app = env.app;
    const arn = (await env.register()).containerInstanceArn as string;
    // Only secrets that a task placed on the instance references.
    expect((await env.post('secrets', { containerInstanceArn: arn, valueFrom: 'a', region: 'us-east-1' })).body).toMatchObject({ code: 'Forbidden' });
    env.tasks.set('with-secrets', { taskArn: 'with-secrets', lastStatus: 'PENDING', desiredStatus: 'RUNNING', instance: arn });
    expect((await env.post('secrets', { containerInstanceArn: arn, valueFrom: 'a', region: 'us-east-1' })).body).toEqual({ value: 'value-of-a' });
    expect((await env.post('secrets', { containerInstanceArn: arn, valueFrom: 'other', region: 'us-east-1' })).status).toBe(403);
    const failed = await env.post('secrets', { containerInstanceArn: arn, valueFrom: 'missing', region: 'us-east-1' });
    expect(failed).toEqual({ status: 422, body: { code: 'SecretFailed', message: expect.stringMatching(/^ResourceInitializationError/) } });
    const target = { region: 'us-east-1', group: 'g', stream: 's', createGroup: true };
    expect((await env.post('logs', { containerInstanceArn: arn, target, events: [{ timestamp: 1, message: 'hi' }] })).status).toBe(200);
    expect(env.logged).toEqual(['hi']);
  });

  it('carries task protection for the tasks of the instance only', async () => {
    const env = setup();
    app = env.app;
    const arn = (await env.register()).containerInstanceArn as string;
    const other = (await env.register({ host: '10.0.0.3' })).containerInstanceArn as string;
    env.tasks.set('t1', { taskArn: 't1', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', instance: arn });
    expect(await env.post('task-protection', { containerInstanceArn: arn, taskArn: 't1', protectionEnabled: true, expiresInMinutes: 60 })).toEqual({
      status: 200,
      body: { protection: { taskArn: 't1', protectionEnabled: true, expirationDate: 5 } },
    });
    expect((await env.post('task-protection', { containerInstanceArn: arn, taskArn: 't1' })).body).toEqual({ protection: { taskArn: 't1', protectionEnabled: false } });
    expect((await env.post('task-protection', { containerInstanceArn: other, taskArn: 't1', protectionEnabled: true })).status).toBe(403);
    expect((await env.post('task-protection', { containerInstanceArn: arn, taskArn: 't1', protectionEnabled: 'yes' })).status).toBe(400);
    expect(env.protections).toEqual([['update', 't1', true, 60], ['get', 't1']]);
  });

  it("hands out a role's credentials only for a task of the instance that names the role", async () => {
    const env = setup();
    app = env.app;
    const arn = (await env.register()).containerInstanceArn as string;
    const role = 'arn:aws:iam::123456789012:role/app';
    const ask = (taskArn: string, roleArn = role) => env.post('credentials', { containerInstanceArn: arn, taskArn, roleArn });
    expect((await ask('with-role')).status).toBe(403);
    env.tasks.set('with-role', { taskArn: 'with-role', lastStatus: 'PENDING', desiredStatus: 'RUNNING', instance: arn });
    expect((await ask('with-role')).body).toMatchObject({ ok: true, credentials: { RoleArn: role, AccessKeyId: 'ASIA-id-with-role' } });
    expect((await ask('with-role', 'arn:aws:iam::123456789012:role/admin')).status).toBe(403);
    env.tasks.set('no-role', { taskArn: 'no-role', lastStatus: 'PENDING', desiredStatus: 'RUNNING', instance: arn });
    expect((await ask('no-role')).status).toBe(403);
  });

  it("takes the measured use of the instance's own tasks, and refuses malformed readings", async () => {
    const env = setup();
    app = env.app;
    const arn = (await env.register()).containerInstanceArn as string;
    env.tasks.set('t1', { taskArn: 't1', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', instance: arn });
    const reading = (taskArn: string, extra: object = {}) => ({
      taskArn,
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/default',
      region: 'us-east-1',
      cpuUnits: 512,
      memoryMiB: 20,
      cpuReserved: 1024,
      memoryReserved: 512,
      family: 'web',
      insights: false,
      ...extra,
    });
    // A task placed on another instance (or on none) is not this agent's to report.
    const res = await env.post('usage', { containerInstanceArn: arn, timestamp: 61_000, since: 1_000, tasks: [reading('t1', { networkRxBytesPerSecond: 10 }), reading('elsewhere')] });
    expect(res).toEqual({ status: 200, body: { insightsClusters: ['arn:aws:ecs:us-east-1:123456789012:cluster/default'] } });
    expect(env.usage).toEqual([[arn, 61_000, 1_000, ['t1']]]);
    expect((await env.post('usage', { containerInstanceArn: arn, timestamp: 61_000, since: 61_000, tasks: [] })).status).toBe(400);
    for (const bad of [reading('t1', { cpuUnits: -1 }), reading('t1', { insights: 'yes' }), reading('t1', { networkTxBytesPerSecond: 'x' }), { taskArn: 't1' }]) {
      expect((await env.post('usage', { containerInstanceArn: arn, timestamp: 2_000, tasks: [bad] })).status).toBe(400);
    }
    expect(env.usage).toHaveLength(1);
  });
});
