import { describe, expect, it } from 'vitest';
import type { StopReason, TaskAgent, TaskLaunchSpec } from '../agent-contract/task-contract.js';
import { MemoryInstanceRegistry } from './instance-registry.fixtures.js';
import { RemoteAgents, startDisconnectSweeper } from './remote-agents.js';

function recordingAgent() {
  const calls: string[] = [];
  const agent: TaskAgent = {
    launch: (spec) => void calls.push(`launch ${spec.taskArn}`),
    stop: (arn: string, reason: StopReason) => void calls.push(`stop ${arn} ${reason.stopCode}`),
    capacity: () => ({ cpu: 2048, memory: 4096 }),
  };
  return { agent, calls };
}
const spec = (taskArn: string, containerInstanceArn?: string) => ({ taskArn, ...(containerInstanceArn && { containerInstanceArn }) }) as TaskLaunchSpec;
const reason: StopReason = { stopCode: 'UserInitiated', stoppedReason: 'x' };

describe('RemoteAgents', () => {
  it('runs tasks without an instance on the local agent, and only wakes instances for the rest', async () => {
    const { agent, calls } = recordingAgent();
    const remote = new RemoteAgents(agent);
    remote.launch(spec('t1'));
    remote.stop('t1', reason);
    remote.launch(spec('t2', 'i-1'));
    remote.stop('t2', reason, 'i-1');
    expect(calls).toEqual(['launch t1', 'stop t1 UserInitiated']);
    expect(remote.capacity()).toEqual({ cpu: 2048, memory: 4096 });
  });

  it('ends a held poll when its instance is woken, and not when another is', async () => {
    const remote = new RemoteAgents(recordingAgent().agent);
    const started = Date.now();
    const held = remote.wait('i-1', 5_000);
    remote.wake('i-2');
    setTimeout(() => remote.wake('i-1'), 50);
    await held;
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('remembers a wake that found no poll waiting, until the next poll begins', async () => {
    const remote = new RemoteAgents(recordingAgent().agent);
    remote.wake('i-1');
    const started = Date.now();
    await remote.wait('i-1', 5_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    remote.wake('i-1');
    remote.beginPoll('i-1');
    const t0 = Date.now();
    await remote.wait('i-1', 100);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
  });

  it('releases held polls on abort and at close', async () => {
    const remote = new RemoteAgents(recordingAgent().agent);
    const controller = new AbortController();
    const a = remote.wait('i-1', 10_000, controller.signal);
    const b = remote.wait('i-2', 10_000);
    controller.abort();
    await a;
    remote.close();
    await b;
    await remote.wait('i-3', 10_000);
  });
});

describe('startDisconnectSweeper', () => {
  it('marks an instance not heard from within the timeout', async () => {
    const registry = new MemoryInstanceRegistry();
    const record = await registry.registerAgent(
      { accountId: '000000000000', region: 'us-east-1', principalArn: 'p', now: new Date(Date.now() - 10_000) },
      { cluster: 'default', host: 'h', agentVersion: '1', attributes: [], cpu: 1024, memory: 1024 },
    );
    const marked: string[] = [];
    const stop = startDisconnectSweeper(registry, { timeoutMs: 200, onDisconnected: (r) => marked.push(...r.map((x) => x.containerInstanceArn)) });
    try {
      for (let i = 0; i < 50 && marked.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop();
    }
    expect(marked).toEqual([record.containerInstanceArn]);
    expect((await registry.byArn(record.containerInstanceArn))?.agentConnected).toBe(false);
  });
});
