import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CreateClusterCommand,
  DescribeContainerInstancesCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentContainers, createAgentHosts, startControlPlane, type AgentHosts, type AgentProcess, type ControlPlane } from '../support/agent-hosts.js';
import { ensureTaskRole, isRunning, isStopped, waitForTask } from '../tasks/task-fixture.js';
import { pushBusybox } from './hosts-fixture.js';
import { DEFAULT_NETWORK } from '../support/default-vpc.js';

let hosts: AgentHosts;
let control: ControlPlane;
let ecs: ECSClient;
let td: TaskDefinition;
let clusterArn: string;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  hosts = await createAgentHosts(3);
  control = await startControlPlane(hosts, { disconnectTimeoutMs: 3_000 });
  ecs = control.ecs();
  await pushBusybox(control);
  clusterArn = (await ecs.send(new CreateClusterCommand({ clusterName: 'default' }))).cluster!.clusterArn!;
  td = (
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'hosted',
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '256',
        containerDefinitions: [
          {
            name: 'app',
            // The account's ECR host name: the agent pulls it from the control plane's registry.
            image: `${control.config.accountId}.dkr.ecr.us-east-1.amazonaws.com/hosts/busybox:1`,
            command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done'],
            stopTimeout: 5,
          },
        ],
      }),
    )
  ).taskDefinition!;
  for (const [i, host] of hosts.hosts.entries()) agents.push(await host.startAgent(control, ['--attribute', `rack=r${i}`, '--attribute', 'fast', '--cpu', '2048', '--memory', '1024']));
}, 120_000);

afterAll(async () => {
  await control?.dispose();
  await hosts?.dispose();
}, 60_000);

/** Polls until `check` holds (bounded). */
async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; ; ) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ipOf = (t: { containers?: Array<{ networkInterfaces?: Array<{ privateIpv4Address?: string }> }> }) => t.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address;
/** RunTask (EC2) of `def` onto agent `i`, chosen by its rack attribute; returns the task's ARN and id. */
async function runOn(def: TaskDefinition, i: number): Promise<{ taskArn: string; taskId: string }> {
  const res = await ecs.send(
    new RunTaskCommand({
      cluster: 'default',
      taskDefinition: def.taskDefinitionArn,
      launchType: 'EC2',
      networkConfiguration: network,
      placementConstraints: [{ type: 'memberOf', expression: `attribute:rack == r${i}` }],
    }),
  );
  expect(res.failures).toEqual([]);
  const task = res.tasks![0]!;
  expect(task.containerInstanceArn).toBe(agents[i]!.containerInstanceArn);
  return { taskArn: task.taskArn!, taskId: task.taskArn!.split('/').pop()! };
}

/** The container instance as DescribeContainerInstances shows it. */
async function describeInstance(arn: string) {
  const res = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'default', containerInstances: [arn] }));
  return res.containerInstances![0]!;
}

const network = DEFAULT_NETWORK;
const inSubnet = (ip: string | undefined, cidr: string) => ip !== undefined && ip.split('.').slice(0, 3).join('.') === cidr.split('.').slice(0, 3).join('.');

describe('remote agents on several hosts', () => {
  it('three agents join and show as connected container instances', async () => {
    const res = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'default', containerInstances: agents.map((a) => a.containerInstanceArn) }));
    expect(res.failures).toEqual([]);
    expect(res.containerInstances).toHaveLength(3);
    expect(new Set(agents.map((a) => a.containerInstanceArn)).size).toBe(3);
    for (const [i, agent] of agents.entries()) {
      const instance = res.containerInstances!.find((c) => c.containerInstanceArn === agent.containerInstanceArn)!;
      expect(instance).toMatchObject({ agentConnected: true, status: 'ACTIVE', runningTasksCount: 0, pendingTasksCount: 0 });
      expect(instance.registeredResources).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'CPU', integerValue: 2048 }), expect.objectContaining({ name: 'MEMORY', integerValue: 1024 })]));
      expect(instance.attributes).toEqual(expect.arrayContaining([{ name: `rack`, value: `r${i}` }, { name: 'fast' }, { name: 'ecs.os-type', value: 'linux' }]));
      expect((await control.instance(agent.containerInstanceArn))).toMatchObject({ host: hosts.hosts[i]!.address, clusterArn });
    }
  });

  it('runs a task on the instance it is placed on, and stops it on StopTask', async () => {
    const host = hosts.hosts[1]!;
    const spec = await runOn(td, 1);
    const running = await waitForTask(ecs, 'default', spec.taskArn, isRunning, 60_000);
    // Its address is in agent 2's task subnet, and its container runs under agent 2's runtime.
    expect(inSubnet(ipOf(running), host.taskSubnet), ipOf(running)).toBe(true);
    expect(agentContainers(host).map((c) => c.id)).toEqual([`${spec.taskId}-app`]);
    expect(agentContainers(hosts.hosts[0]!)).toEqual([]);
    expect(agentContainers(hosts.hosts[2]!)).toEqual([]);
    // The task's network namespace hangs off the bridge inside agent 2's namespace.
    execFileSync('ip', ['-n', host.netns, 'link', 'show', host.taskBridge], { stdio: 'ignore' });

    await ecs.send(new StopTaskCommand({ cluster: 'default', task: spec.taskArn, reason: 'done here' }));
    const stopped = await waitForTask(ecs, 'default', spec.taskArn, isStopped, 30_000);
    expect(stopped).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'done here', desiredStatus: 'STOPPED' });
    expect(stopped.containers?.[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 0 });
    await until('the container removed', () => agentContainers(host).length === 0);
    // Once the control plane has its STOPPED state, the agent forgets the task.
    await until('the saved spec forgotten', () => !existsSync(join(host.dataDir, 'specs', `${spec.taskId}.json`)));
  }, 90_000);

  it('a killed agent is marked disconnected, its task keeps running, and a stop issued meanwhile is carried out when it returns', async () => {
    const host = hosts.hosts[2]!;
    const arn = agents[2]!.containerInstanceArn;
    const spec = await runOn(td, 2);
    await waitForTask(ecs, 'default', spec.taskArn, isRunning, 60_000);
    const [container] = agentContainers(host);
    expect(container).toMatchObject({ id: `${spec.taskId}-app`, status: 'running' });

    await agents[2]!.kill('SIGKILL');
    await until('agent 3 marked disconnected', async () => (await describeInstance(arn)).agentConnected === false, 15_000);
    // The others, polling, stay connected; the orphaned container keeps running.
    expect((await describeInstance(agents[0]!.containerInstanceArn)).agentConnected).toBe(true);
    // No task is placed on the disconnected instance.
    const refused = await ecs.send(
      new RunTaskCommand({ cluster: 'default', taskDefinition: td.taskDefinitionArn, launchType: 'EC2', networkConfiguration: network, placementConstraints: [{ type: 'memberOf', expression: 'attribute:rack == r2' }] }),
    );
    expect(refused.tasks).toEqual([]);
    // (The failure names the instance that came closest: a connected one, refused only by memberOf.)
    expect(refused.failures).toEqual([{ arn: expect.not.stringMatching(arn) as string, reason: 'MemberOf placement constraint unsatisfied.' }]);
    expect(agentContainers(host)).toEqual([{ ...container!, status: 'running' }]);

    await ecs.send(new StopTaskCommand({ cluster: 'default', task: spec.taskArn, reason: 'stopped while away' }));
    await new Promise((r) => setTimeout(r, 500));
    expect(agentContainers(host)[0]?.status).toBe('running');

    agents[2] = await host.startAgent(control);
    expect(agents[2].containerInstanceArn).toBe(arn);
    expect((await ecs.send(new ListContainerInstancesCommand({ cluster: 'default' }))).containerInstanceArns).toHaveLength(3);
    const stopped = await waitForTask(ecs, 'default', spec.taskArn, isStopped, 30_000);
    expect(stopped).toMatchObject({ stoppedReason: 'stopped while away', desiredStatus: 'STOPPED' });
    expect(stopped.containers?.[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 0 });
    expect((await describeInstance(arn)).agentConnected).toBe(true);
    await until('the container removed', () => agentContainers(host).length === 0);
    // Nothing ran twice: the adopted container was the only one, on this host only.
    expect(agents[2].lines.filter((l) => l.includes('launching task'))).toEqual([]);
    expect(agentContainers(hosts.hosts[0]!)).toEqual([]);
    expect(agentContainers(hosts.hosts[1]!)).toEqual([]);
    await until('the saved spec forgotten', () => readdirSync(join(host.dataDir, 'specs')).length === 0);
  }, 120_000);

  it('resolves secrets and delivers awslogs through the control plane', async () => {
    const credentials = { accessKeyId: control.config.accessKeyId, secretAccessKey: control.config.secretAccessKey };
    const sm = new SecretsManagerClient({ endpoint: control.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const logs = new CloudWatchLogsClient({ endpoint: control.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const secret = await sm.send(new CreateSecretCommand({ Name: 'hosts/token', SecretString: 's3cr3t-from-control' }));
      // The execution role must exist and trust ECS tasks: the agent assumes it through the control plane.
      await ensureTaskRole(ecs, `arn:aws:iam::${control.config.accountId}:role/ecsTaskExecutionRole`);
      const image = td.containerDefinitions![0]!.image!;
      const register = (family: string, valueFrom: string) =>
        ecs.send(
          new RegisterTaskDefinitionCommand({
            family,
            networkMode: 'awsvpc',
            executionRoleArn: `arn:aws:iam::${control.config.accountId}:role/ecsTaskExecutionRole`,
            containerDefinitions: [
              {
                name: 'app',
                image,
                memory: 64,
                command: ['sh', '-c', 'echo "token=$TOKEN"; echo second line'],
                secrets: [{ name: 'TOKEN', valueFrom }],
                logConfiguration: {
                  logDriver: 'awslogs',
                  options: { 'awslogs-group': '/ecs/hosts', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web', 'awslogs-create-group': 'true' },
                },
              },
            ],
          }),
        );
      const good = (await register('hosted-logs', secret.ARN!)).taskDefinition!;
      const spec = await runOn(good, 0);
      const task = await waitForTask(ecs, 'default', spec.taskArn, isStopped, 60_000);
      expect(task.containers?.[0]?.exitCode).toBe(0);
      const events = await until('the log lines', async () => {
        const res = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/hosts', logStreamName: `web/app/${spec.taskId}`, startFromHead: true })).catch(() => undefined);
        return (res?.events?.length ?? 0) >= 2 && res!.events!;
      });
      expect(events.map((e) => e.message)).toEqual(['token=s3cr3t-from-control', 'second line']);

      // A secret that does not exist stops the task with ECS's failure text, as on the control host.
      const bad = (await register('hosted-bad-secret', `arn:aws:secretsmanager:us-east-1:${control.config.accountId}:secret:nope-AbCdEf`)).taskDefinition!;
      const failed = await runOn(bad, 0);
      const stopped = await waitForTask(ecs, 'default', failed.taskArn, isStopped, 60_000);
      expect(stopped.stopCode).toBe('TaskFailedToStart');
      expect(stopped.stoppedReason).toMatch(/^ResourceInitializationError: /);
    } finally {
      sm.destroy();
      logs.destroy();
    }
  }, 90_000);

  it('keeps tasks running while the control plane restarts; the agent comes back and a later stop is carried out', async () => {
    const host = hosts.hosts[0]!;
    const arn = agents[0]!.containerInstanceArn;
    const spec = await runOn(td, 0);
    await waitForTask(ecs, 'default', spec.taskArn, isRunning, 60_000);
    const restartedAt = Date.now();
    await control.restart();
    // The restarted control plane leaves the instance's task to its agent (it does not adopt it).
    const stillRunning = await waitForTask(ecs, 'default', spec.taskArn, (t) => t.lastStatus !== undefined);
    expect(stillRunning.lastStatus).toBe('RUNNING');
    expect(agentContainers(host)).toEqual([expect.objectContaining({ id: `${spec.taskId}-app`, status: 'running' })]);
    await until('the agent back', async () => ((await control.instance(arn))?.lastSeenAt ?? 0) > restartedAt + 100, 30_000);
    await ecs.send(new StopTaskCommand({ cluster: 'default', task: spec.taskArn, reason: 'after the restart' }));
    const stopped = await waitForTask(ecs, 'default', spec.taskArn, isStopped, 30_000);
    expect(stopped).toMatchObject({ stoppedReason: 'after the restart' });
    expect(stopped.containers?.[0]).toMatchObject({ exitCode: 0 });
    await until('the container removed', () => agentContainers(host).length === 0);
  }, 90_000);

  it('an agent stopped with SIGTERM ends its held poll and exits cleanly at once', async () => {
    const started = Date.now();
    expect(await agents[1]!.kill('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
