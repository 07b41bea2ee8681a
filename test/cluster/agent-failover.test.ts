/**
 * An agent given several control-plane endpoints (replicas) moves to the next when the one it
 * talks to goes away. Here the first endpoint is a TCP relay in front of the control plane, closed
 * mid-run; the agent carries on through the second and still runs what is placed on it.
 */
import { CreateClusterCommand, DescribeContainerInstancesCommand, RunTaskCommand, StopTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type TcpRelay } from '../../src/nodes/local/tcp-relay.js';
import { createAgentHosts, startControlPlane, type AgentHosts, type AgentProcess, type ControlPlane } from '../support/agent-hosts.js';
import { NETWORK, describeTasks, pushBusybox, registerEc2, sleeper, until } from './hosts-fixture.js';

const CLUSTER = `failover-${process.pid}`;
let hosts: AgentHosts;
let control: ControlPlane;
let ecs: ECSClient;
let relay: TcpRelay | undefined;
let agent: AgentProcess;

beforeAll(async () => {
  hosts = await createAgentHosts(1);
  control = await startControlPlane(hosts);
  ecs = control.ecs();
  await pushBusybox(control);
  await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  const target = new URL(control.endpoint);
  relay = await startRelay(hosts.gateway, 0, () => ({ host: target.hostname, port: Number(target.port) }));
  agent = await hosts.hosts[0]!.startAgent(control, ['--cluster', CLUSTER, '--join', `http://${hosts.gateway}:${relay.port},${control.endpoint}`]);
}, 120_000);

afterAll(async () => {
  await relay?.close();
  await control?.dispose();
  await hosts?.dispose();
}, 120_000);

describe('an agent with several control-plane endpoints', () => {
  it('carries on through the next endpoint when the one it joined through goes away', { timeout: 120_000 }, async () => {
    await relay!.close();
    relay = undefined;
    const td = await registerEc2(ecs, 'after-failover', sleeper(`${control.config.accountId}.dkr.ecr.us-east-1.amazonaws.com/hosts/busybox:1`));
    const res = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: td.taskDefinitionArn, launchType: 'EC2', networkConfiguration: NETWORK }));
    expect(res.failures).toEqual([]);
    expect(res.tasks![0]!.containerInstanceArn).toBe(agent.containerInstanceArn);
    const arn = res.tasks![0]!.taskArn!;
    await until('the task RUNNING', async () => (await describeTasks(ecs, CLUSTER, [arn]))[0]?.lastStatus === 'RUNNING', 60_000, 250);
    const instance = (await ecs.send(new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: [agent.containerInstanceArn] }))).containerInstances![0]!;
    expect(instance.agentConnected).toBe(true);
    // It did lose the first endpoint (and said so) before it went on through the second.
    expect(agent.lines.some((l) => l.includes('control plane exchange failed'))).toBe(true);
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn }));
    await until('the task STOPPED', async () => (await describeTasks(ecs, CLUSTER, [arn]))[0]?.lastStatus === 'STOPPED', 60_000, 250);
  });
});
