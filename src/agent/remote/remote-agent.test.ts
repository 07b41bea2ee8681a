import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PollRequest, PollResponse, RegisterRequest, ReportsRequest } from '../../agent-contract/protocol.js';
import type { TaskLaunchSpec } from '../../agent-contract/task-contract.js';
import { firewallDigest, type TaskFirewall } from '../../agent-contract/task-firewall.js';
import { AgentStore } from './agent-store.js';
import { ControlPlaneError } from './control-client.js';
import { RemoteAgent, type TaskRunner } from './remote-agent.js';
import { ReportQueue } from './report-queue.js';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:container-instance/default/abc';
const spec = (id: string) => ({ taskArn: `arn:task/${id}`, taskId: id, region: 'us-east-1' }) as TaskLaunchSpec;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const empty: PollResponse = { launch: [], stop: [], forget: [] };

/** A scripted control plane: answers polls from a queue of orders, records everything. */
function fakeControl() {
  const polls: PollRequest[] = [];
  const registrations: RegisterRequest[] = [];
  const reports: string[] = [];
  const orders: PollResponse[] = [];
  let failures = 0;
  const secretsPresented: Array<string | undefined> = [];
  const client = {
    instanceSecret: undefined as string | undefined,
    register: async (body: RegisterRequest) => {
      if (failures > 0) {
        failures--;
        throw new TypeError('fetch failed');
      }
      registrations.push(body);
      secretsPresented.push(client.instanceSecret);
      return { containerInstanceArn: body.containerInstanceArn ?? ARN, accountId: '123456789012', pollSeconds: 1, instanceSecret: 'secret-of-the-instance' };
    },
    poll: async (body: PollRequest, _hold: number, signal?: AbortSignal) => {
      polls.push(body);
      const next = orders.shift();
      if (next) return next;
      await new Promise((r) => setTimeout(r, 20));
      if (signal?.aborted) throw new Error('aborted');
      return empty;
    },
    reports: async (body: ReportsRequest) => {
      reports.push(...body.reports.map((r) => `${r.taskArn} ${r.change.lastStatus ?? '-'}`));
      return { accepted: body.reports.length };
    },
  };
  return { client, polls, registrations, reports, orders, secretsPresented, failWith: (n: number) => (failures = n) };
}

function fakeRunner() {
  const calls: string[] = [];
  let agent: RemoteAgent | undefined;
  const runner: TaskRunner = {
    launch: (s) => {
      calls.push(`launch ${s.taskId}`);
      void agent!.report(s.taskArn, { lastStatus: 'RUNNING' });
    },
    stop: (arn) => {
      calls.push(`stop ${arn}`);
      void agent!.report(arn, { lastStatus: 'STOPPED' });
    },
    adopt: async (specs) => void calls.push(`adopt ${specs.map((s) => s.spec.taskId).join(',')}`),
  };
  return { runner, calls, bind: (a: RemoteAgent) => (agent = a) };
}

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function agentOver(dataDir: string, control: ReturnType<typeof fakeControl>, run: ReturnType<typeof fakeRunner>) {
  const agent = new RemoteAgent({
    client: control.client,
    store: new AgentStore(dataDir),
    runner: run.runner,
    queue: new ReportQueue({ retryDelayMs: 5 }),
    registration: { cluster: 'default', region: 'us-east-1', host: 'h', agentVersion: '1', attributes: [], cpu: 1024, memory: 512 },
    log: quiet,
    backoff: { initialMs: 5, maxMs: 20 },
  });
  run.bind(agent);
  return agent;
}

describe('RemoteAgent', () => {
  it('launches once, reports, stops on order, forgets when told, and survives a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-agent-'));
    const control = fakeControl();
    const run = fakeRunner();
    let agent = agentOver(dir, control, run);
    control.orders.push({ launch: [{ spec: spec('t1') }, { spec: spec('t2') }], stop: [], forget: [] });
    await agent.start();
    await until(() => control.reports.includes('arn:task/t2 RUNNING'));
    expect(run.calls).toEqual(['adopt ', 'launch t1', 'launch t2']);
    expect(existsSync(join(dir, 'specs', 't1.json'))).toBe(true);
    // The same order again (e.g. a repeated answer) starts nothing twice.
    control.orders.push({ launch: [{ spec: spec('t1') }], stop: [], forget: [] });
    await until(() => control.polls.at(-1)!.known.length === 2 && control.orders.length === 0);
    expect(run.calls.filter((c) => c === 'launch t1')).toHaveLength(1);
    await agent.close();

    // Restarted: re-joins with its ARN, adopts both tasks, re-sends their cumulative state.
    const control2 = fakeControl();
    const run2 = fakeRunner();
    agent = agentOver(dir, control2, run2);
    await agent.start();
    await until(() => control2.reports.length >= 2);
    expect(control2.registrations[0]!.containerInstanceArn).toBe(ARN);
    // ...proving it is that instance with the credential it was given the first time.
    expect(control.secretsPresented[0]).toBeUndefined();
    expect(control2.secretsPresented[0]).toBe('secret-of-the-instance');
    expect(control2.client.instanceSecret).toBe('secret-of-the-instance');
    expect(run2.calls[0]).toBe('adopt t1,t2');
    expect(control2.reports.slice(0, 2).sort()).toEqual(['arn:task/t1 RUNNING', 'arn:task/t2 RUNNING']);
    control2.orders.push({ launch: [], stop: [{ taskArn: 'arn:task/t1', reason: { stopCode: 'UserInitiated', stoppedReason: 'x' } }], forget: [] });
    await until(() => control2.polls.some((p) => p.stopped.includes('arn:task/t1')));
    control2.orders.push({ launch: [], stop: [], forget: ['arn:task/t1'] });
    await until(() => !existsSync(join(dir!, 'specs', 't1.json')));
    expect(run2.calls.filter((c) => c.startsWith('stop'))).toEqual(['stop arn:task/t1']);
    await until(() => control2.polls.at(-1)!.known.join() === 'arn:task/t2');
    await agent.close();
  });

  it('keeps retrying while the control plane is unreachable, then joins', async () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-agent-'));
    const control = fakeControl();
    control.failWith(3);
    const agent = agentOver(dir, control, fakeRunner());
    await agent.start();
    await until(() => control.polls.length > 0);
    expect(control.registrations).toHaveLength(1);
    expect(agent.containerInstanceArn).toBe(ARN);
    await agent.close();
  });

  it('registers again when the control plane no longer knows the instance', async () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-agent-'));
    const control = fakeControl();
    const poll = control.client.poll;
    let once = true;
    control.client.poll = async (body, hold, signal) => {
      if (once) {
        once = false;
        throw new ControlPlaneError(404, 'UnknownInstance', 'gone');
      }
      return poll(body, hold, signal);
    };
    const agent = agentOver(dir, control, fakeRunner());
    await agent.start();
    await until(() => control.registrations.length === 2);
    await agent.close();
  });

  it('holds its launch\'s firewall, applies the ones ordered, states their digests, and lets a failed one go', async () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-agent-'));
    const control = fakeControl();
    const run = fakeRunner();
    const applied: Array<[string, TaskFirewall]> = [];
    let failNext = false;
    run.runner.setFirewall = async (arn, fw) => {
      if (failNext) {
        failNext = false;
        throw new Error('iptables-restore failed');
      }
      applied.push([arn, fw]);
    };
    const agent = agentOver(dir, control, run);
    const first: TaskFirewall = { ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['10.215.0.3/32'] }], egress: [] };
    const second: TaskFirewall = { ingress: [], egress: [{ protocol: 'all', fromPort: -1, toPort: -1, cidrs: ['0.0.0.0/0'] }] };
    control.orders.push({ launch: [{ spec: { ...spec('t1'), firewall: first } }, { spec: spec('t2') }], stop: [], forget: [] });
    await agent.start();
    await until(() => control.polls.length > 1);
    expect(control.polls[0]!.firewalls).toEqual({});
    // The launch's firewall is what the network is made with: held, not applied again.
    expect(control.polls.at(-1)!.firewalls).toEqual({ 'arn:task/t1': firewallDigest(first) });
    expect(applied).toEqual([]);
    control.orders.push({ launch: [], stop: [], forget: [], firewalls: [{ taskArn: 'arn:task/t1', firewall: second }, { taskArn: 'arn:task/unknown', firewall: second }] });
    await until(() => applied.length === 1 && control.polls.at(-1)!.firewalls!['arn:task/t1'] === firewallDigest(second));
    expect(applied).toEqual([['arn:task/t1', second]]);
    expect(control.polls.at(-1)!.firewalls).toEqual({ 'arn:task/t1': firewallDigest(second) });
    // A failed apply is let go, so that the control plane sends it again.
    failNext = true;
    control.orders.push({ launch: [], stop: [], forget: [], firewalls: [{ taskArn: 'arn:task/t2', firewall: first }] });
    await until(() => control.orders.length === 0 && control.polls.at(-1)!.firewalls!['arn:task/t2'] === undefined && !failNext);
    // One not of the contract's shape is refused, and the rest of the answer carried out.
    const polled = control.polls.length;
    control.orders.push({ launch: [], stop: [{ taskArn: 'arn:task/t2', reason: { stopCode: 'UserInitiated', stoppedReason: 'x' } }], forget: [], firewalls: [{ taskArn: 'arn:task/t1', firewall: { ingress: [{ protocol: 'tcp; reboot' }] } as unknown as TaskFirewall }] });
    await until(() => control.polls.length > polled + 1 && run.calls.includes('stop arn:task/t2'));
    expect(applied).toHaveLength(1);
    expect(control.polls.at(-1)!.firewalls).toEqual({ 'arn:task/t1': firewallDigest(second) });
    await agent.close();
  });

  it('states no firewalls when its runner cannot apply them', async () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-agent-'));
    const control = fakeControl();
    const agent = agentOver(dir, control, fakeRunner());
    await agent.start();
    await until(() => control.polls.length > 0);
    expect(control.polls[0]!.firewalls).toBeUndefined();
    await agent.close();
  });
});
