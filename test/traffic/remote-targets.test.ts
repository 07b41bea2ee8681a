/**
 * Load balancers reaching tasks on other hosts: two agent hosts (network namespaces on a bridge,
 * the control platform on the bridge's address), an awsvpc service behind an `ip` target group
 * and a bridge service behind an `instance` target group, real HTTP through the listener.
 */
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { Agent } from 'node:http';
import { CreateServiceCommand, DeleteServiceCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand, type Task } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allTasks, NETWORK, registerEc2, startHostsFixture, type HostsFixture } from '../cluster/hosts-fixture.js';
import { albWithTargetGroup, get, SUBNETS, targetHealth, until, VPC, webContainer } from './traffic-fixture.js';

const CLUSTER = 'remote';
let f: HostsFixture;
let elb: ElasticLoadBalancingV2Client;
let disposed = false;
/** The awsvpc service's listener URL, once the first scenario made it. */
let ipsUrl = '';

beforeAll(async () => {
  f = await startHostsFixture(CLUSTER, [[], []], { serviceTickMs: 250 });
  elb = new ElasticLoadBalancingV2Client({
    endpoint: f.control.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: f.control.config.accessKeyId, secretAccessKey: f.control.config.secretAccessKey },
    maxAttempts: 1,
  });
}, 120_000);

afterAll(async () => {
  elb?.destroy();
  if (f && !disposed) await stopEverything();
}, 90_000);

async function stopEverything(): Promise<void> {
  for (const service of ['ips', 'ports']) await f.ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service, force: true })).catch(() => undefined);
  await until('every task stopped', () => allTasks(f.ecs, CLUSTER), (tasks) => tasks.every((t) => t.lastStatus === 'STOPPED'), 60_000).catch(() => undefined);
  disposed = true;
  await f.control.dispose();
  routesAfterClose = routes();
  await f.hosts.dispose();
}

/** The control host's routes right after the control plane closed, before the hosts went away (their bridge takes its routes along). */
let routesAfterClose = '';

/** The control host's routes (the test runs in its namespace). */
const routes = () => execFileSync('ip', ['-4', 'route', 'show'], { encoding: 'utf8' });
const hostIndex = (t: Task) => f.agents.findIndex((a) => a.containerInstanceArn === t.containerInstanceArn);
const addressOf = (t: Task) => t.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address;
const running = async (service: string) => (await allTasks(f.ecs, CLUSTER, service)).filter((t) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING');

/** `count` GETs through the listener over one keep-alive connection: the set of answers. */
async function answers(url: string, count: number): Promise<Set<string>> {
  const agent = new Agent({ keepAlive: true });
  const seen = new Set<string>();
  try {
    for (let i = 0; i < count; i++) {
      const { status, body } = await get(url, agent);
      expect(status, body).toBe(200);
      seen.add(body.trim());
    }
  } finally {
    agent.destroy();
  }
  return seen;
}

/** Whether a TCP connection from `localAddress` to the address opens (false when refused or silent for 3 s). */
function opens(host: string, port: number, localAddress: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, localAddress, timeout: 3_000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

describe('load balancers reach targets on other hosts', () => {
  it('an awsvpc service spread over two agents: the control host routes to their task subnets, and every task answers through the listener', async () => {
    // Each agent's subnet is routed via its address shortly after it joined.
    for (const h of f.hosts.hosts) await until(`a route to ${h.taskSubnet}`, async () => routes(), (r) => r.includes(`${h.taskSubnet} via ${h.address} dev ${f.hosts.bridge}`), 10_000);
    const td = await registerEc2(f.ecs, 'ips', webContainer(f.image, 'ips'));
    const alb = await albWithTargetGroup(elb, 'remote-ips');
    await f.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER, serviceName: 'ips', taskDefinition: td.taskDefinitionArn, desiredCount: 2, launchType: 'EC2', networkConfiguration: NETWORK,
        loadBalancers: [{ targetGroupArn: alb.tgArn, containerName: 'web', containerPort: 8080 }], healthCheckGracePeriodSeconds: 30,
      }),
    );
    await until('targets healthy', () => targetHealth(elb, alb.tgArn), (t) => t.length === 2 && t.every((d) => d.TargetHealth?.State === 'healthy'), 120_000);
    const tasks = await running('ips');
    expect(new Set(tasks.map(hostIndex))).toEqual(new Set([0, 1]));
    const addresses = tasks.map(addressOf).sort();
    // Each task's address is in its own agent's task subnet.
    for (const t of tasks) expect(addressOf(t)!.split('.').slice(0, 3).join('.')).toBe(f.hosts.hosts[hostIndex(t)]!.taskSubnet.split('.').slice(0, 3).join('.'));
    expect((await targetHealth(elb, alb.tgArn)).map((d) => d.Target?.Id).sort()).toEqual(addresses);
    const url = `http://${alb.dnsName}/`;
    ipsUrl = url;
    expect([...(await answers(url, 40))].sort()).toEqual(addresses.map((a) => `ips ${a}`));

    // The agents let the control host in, no one else: another address of this host on the same
    // link is refused by the agent's forward guard.
    const stranger = f.hosts.gateway.replace(/\.1$/, '.2');
    execFileSync('ip', ['addr', 'add', `${stranger}/32`, 'dev', f.hosts.bridge]);
    try {
      expect(await opens(addresses[0]!, 8080, f.hosts.gateway)).toBe(true);
      expect(await opens(addresses[0]!, 8080, stranger)).toBe(false);
    } finally {
      execFileSync('ip', ['addr', 'del', `${stranger}/32`, 'dev', f.hosts.bridge]);
    }

    // Scale-in: the stopped task leaves the group, the other one answers alone.
    await f.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'ips', desiredCount: 1 }));
    const left = await until('one target left', () => targetHealth(elb, alb.tgArn), (t) => t.length === 1, 90_000);
    expect([...(await answers(url, 10))]).toEqual([`ips ${left[0]!.Target!.Id}`]);
  }, 300_000);

  it('a bridge service on the agents: its instance targets are the container instances at their host ports', async () => {
    const td = (
      await f.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'ports', networkMode: 'bridge', requiresCompatibilities: ['EC2'],
          containerDefinitions: [{ ...webContainer(f.image, 'ports'), memory: 64, portMappings: [{ containerPort: 8080, hostPort: 0 }] }],
        }),
      )
    ).taskDefinition!;
    const { LoadBalancers } = await elb.send(new CreateLoadBalancerCommand({ Name: 'remote-ports', Subnets: SUBNETS, Type: 'application' }));
    const { TargetGroups } = await elb.send(
      new CreateTargetGroupCommand({
        Name: 'remote-ports-tg', Protocol: 'HTTP', Port: 8080, VpcId: VPC, TargetType: 'instance',
        HealthCheckIntervalSeconds: 5, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2, HealthCheckTimeoutSeconds: 2, HealthCheckPath: '/health',
      }),
    );
    const tgArn = TargetGroups![0]!.TargetGroupArn!;
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tgArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '3' }] }));
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: LoadBalancers![0]!.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
    await f.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER, serviceName: 'ports', taskDefinition: td.taskDefinitionArn, desiredCount: 2, launchType: 'EC2',
        loadBalancers: [{ targetGroupArn: tgArn, containerName: 'web', containerPort: 8080 }], healthCheckGracePeriodSeconds: 30,
      }),
    );
    const healthy = await until('targets healthy', () => targetHealth(elb, tgArn), (t) => t.length === 2 && t.every((d) => d.TargetHealth?.State === 'healthy'), 120_000);
    const tasks = await running('ports');
    expect(new Set(tasks.map(hostIndex))).toEqual(new Set([0, 1]));
    const expected = tasks.map((t) => ({ id: t.containerInstanceArn!.split('/').pop(), port: t.containers![0]!.networkBindings![0]!.hostPort })).sort((a, b) => a.id!.localeCompare(b.id!));
    expect(healthy.map((d) => ({ id: d.Target!.Id, port: d.Target!.Port })).sort((a, b) => a.id!.localeCompare(b.id!))).toEqual(expected);
    // Each agent publishes on its own address, as an instance's host port answers on its private address.
    for (const t of tasks) expect(t.containers![0]!.networkBindings![0]!.bindIP).toBe(f.hosts.hosts[hostIndex(t)]!.address);
    const seen = await answers(`http://${LoadBalancers![0]!.DNSName}/`, 40);
    expect(seen.size).toBe(2);
    for (const body of seen) expect(body).toMatch(/^ports \d+\.\d+\.\d+\.\d+$/);
  }, 240_000);

  it('a restarted control plane routes to the agents again; the routes are gone once it is closed', async () => {
    expect(routes()).toContain(`${f.hosts.hosts[0]!.taskSubnet} via`);
    await f.control.restart();
    for (const h of f.hosts.hosts) await until(`a route to ${h.taskSubnet}`, async () => routes(), (r) => r.includes(`${h.taskSubnet} via ${h.address}`), 10_000);
    const [task] = await running('ips');
    const back = await until('the awsvpc service answering again', () => get(ipsUrl).catch(() => ({ status: 0, body: '' })), (r) => r.status === 200, 60_000);
    expect(back.body.trim()).toBe(`ips ${addressOf(task!)}`);
    await stopEverything();
    for (const h of f.hosts.hosts) expect(routesAfterClose).not.toContain(`${h.taskSubnet} via`);
  }, 120_000);
});
