import { describe, expect, it } from 'vitest';
import type { TaskAgent, TaskLaunchSpec } from '../../agent-contract/task-contract.js';
import { MemoryStore } from '../../store/memory-store.js';
import { createEcsControl } from '../ecs-control.js';
import { STOPPED_TASK_RETENTION_MS } from './tasks.js';
import { CLOSED_FIREWALL, type TaskFirewallSource, type VpcLookup } from './vpc-lookup.js';

/** An agent that records launches and reports nothing by itself. */
function recordingAgent(): TaskAgent & { launched: TaskLaunchSpec[] } {
  const launched: TaskLaunchSpec[] = [];
  return { launched, launch: (s) => void launched.push(s), stop: () => undefined, capacity: () => ({ cpu: 4096, memory: 8192 }) };
}

const scope = (now: Date) => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now });

describe('Tasks', () => {
  it('keeps lastStatus moving forward and forgets stopped tasks after the retention time', async () => {
    const agent = recordingAgent();
    const ecs = createEcsControl(new MemoryStore(), agent);
    const t0 = new Date('2026-01-01T00:00:00Z');
    await ecs.clusters.create(scope(t0), { clusterName: 'c' });
    await ecs.taskDefinitions.register(scope(t0), { family: 'f', containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }] });
    const { tasks } = await ecs.tasks.run(scope(t0), { cluster: 'c', taskDefinition: 'f', count: 2 });
    expect(agent.launched).toHaveLength(2);
    const [a, b] = tasks.map((t) => t.taskArn);
    await ecs.tasks.applyReport(a!, { lastStatus: 'RUNNING' });
    const back = await ecs.tasks.applyReport(a!, { lastStatus: 'PENDING' });
    expect(back?.lastStatus).toBe('RUNNING');
    expect(back?.version).toBe(3);
    await ecs.tasks.applyReport(a!, { lastStatus: 'STOPPED', stoppedAt: t0.getTime(), stopCode: 'EssentialContainerExited', stoppedReason: 'x' });
    const later = new Date(t0.getTime() + STOPPED_TASK_RETENTION_MS);
    expect(await ecs.tasks.expireStopped(new Date(later.getTime() - 1))).toBe(0);
    expect(await ecs.tasks.expireStopped(later)).toBe(1);
    const { found, failures } = await ecs.tasks.describe(scope(later), 'c', [a!, b!]);
    expect(found.map((t) => t.taskArn)).toEqual([b]);
    expect(failures).toEqual([{ arn: a, reason: 'MISSING' }]);
  });

  it('checks an awsvpc task\'s subnets and groups, records its groups, and launches it with its firewall', async () => {
    const agent = recordingAgent();
    const vpc: VpcLookup = {
      find: async (_w, subnetIds, groupIds) => ({
        subnets: subnetIds.filter((id) => id === 'subnet-a').map((subnetId) => ({ subnetId, vpcId: 'vpc-1' })),
        groups: groupIds.filter((id) => id === 'sg-web').map((groupId) => ({ groupId, vpcId: 'vpc-1' })),
        defaultGroups: { 'vpc-1': 'sg-default' },
      }),
    };
    const asked: string[][] = [];
    let failing = false;
    const firewalls: TaskFirewallSource = {
      forTask: async (task) => {
        if (failing) throw new Error('groups unreadable');
        asked.push(task.securityGroupIds ?? []);
        return { ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['10.0.0.0/8'] }], egress: [] };
      },
    };
    const ecs = createEcsControl(new MemoryStore(), agent, { vpc, firewalls });
    const t0 = new Date('2026-01-01T00:00:00Z');
    await ecs.clusters.create(scope(t0), { clusterName: 'c' });
    await ecs.taskDefinitions.register(scope(t0), { family: 'f', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [{ name: 'a', image: 'x' }] });
    const run = (network: { subnets: string[]; securityGroups?: string[] }) =>
      ecs.tasks.run(scope(t0), { cluster: 'c', taskDefinition: 'f', launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: network } });
    await expect(run({ subnets: ['subnet-12345678'] })).rejects.toThrow("The subnet ID 'subnet-12345678' does not exist");
    await expect(run({ subnets: ['subnet-a'], securityGroups: ['sg-12345678'] })).rejects.toThrow("The security group 'sg-12345678' does not exist");
    expect(agent.launched).toHaveLength(0);
    const { tasks } = await run({ subnets: ['subnet-a'] });
    expect(tasks[0]!.securityGroupIds).toEqual(['sg-default']);
    expect(asked).toEqual([['sg-default']]);
    expect(agent.launched[0]!.firewall?.ingress).toEqual([{ protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['10.0.0.0/8'] }]);
    expect(agent.launched[0]!.subnetId).toBe('subnet-a');
    // Groups that cannot be read: nothing gets in until the next reconcile.
    failing = true;
    await run({ subnets: ['subnet-a'], securityGroups: ['sg-web'] });
    expect(agent.launched[1]!.firewall).toEqual(CLOSED_FIREWALL);
  });
});
