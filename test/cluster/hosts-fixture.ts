import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import {
  CreateClusterCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopTaskCommand,
  type ContainerDefinition,
  type ContainerInstance,
  type ECSClient,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { agentContainers, createAgentHosts, startControlPlane, type AgentHosts, type AgentProcess, type ControlPlane, type ControlPlaneOptions } from '../support/agent-hosts.js';
import { buildImage, pushImageLayout } from '../support/oci-image.js';
import { DEFAULT_NETWORK } from '../support/default-vpc.js';

/**
 * Three (or more) agent hosts joined to one cluster of a control plane, with a busybox image in
 * the control plane's own registry: the common ground of the multi-host acceptance tests.
 */
export interface HostsFixture {
  hosts: AgentHosts;
  control: ControlPlane;
  ecs: ECSClient;
  cluster: string;
  /** The busybox image by the account's ECR host name (agents pull it from the control plane). */
  image: string;
  /** The agents, by host index (a restarted agent replaces its entry). */
  agents: AgentProcess[];
  /** Restarts agent `i` with its original flags. */
  restartAgent(i: number): Promise<AgentProcess>;
  dispose(): Promise<void>;
}

/** The awsvpc network configuration every task of these tests takes. */
export const NETWORK = DEFAULT_NETWORK;

/** Builds the hosts, the control plane, the cluster and the image, then joins one agent per entry of `agentArgs`. */
/** Pushes a busybox image to the control plane's own registry as `hosts/busybox:1`; returns its reference. */
export async function pushBusybox(control: ControlPlane): Promise<string> {
  const endpoint = new URL(control.endpoint);
  const credentials = { accessKeyId: control.config.accessKeyId, secretAccessKey: control.config.secretAccessKey };
  const ecr = new ECRClient({ endpoint: endpoint.origin, region: 'us-east-1', credentials });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'hosts/busybox' }));
  const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
  ecr.destroy();
  const [username, password] = Buffer.from(authorizationData![0]!.authorizationToken!, 'base64').toString().split(':') as [string, string];
  const built = await buildImage({ busybox: true, config: { Cmd: ['sh'], Env: ['PATH=/bin'] } });
  await pushImageLayout(built.dir, `${endpoint.host}/hosts/busybox:1`, { auth: { username, password } });
  await built.cleanup();
  return `${endpoint.host}/hosts/busybox:1`;
}

export async function startHostsFixture(cluster: string, agentArgs: string[][], options: ControlPlaneOptions = {}): Promise<HostsFixture> {
  const hosts = await createAgentHosts(agentArgs.length);
  let control: ControlPlane | undefined;
  try {
    control = await startControlPlane(hosts, options);
    const ecs = control.ecs();
    await pushBusybox(control);
    // Agents join an existing cluster.
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const flags = agentArgs.map((extra) => ['--cluster', cluster, ...extra]);
    const agents: AgentProcess[] = [];
    for (const [i, host] of hosts.hosts.entries()) agents.push(await host.startAgent(control, flags[i]));
    const plane = control;
    return {
      hosts,
      control,
      ecs,
      cluster,
      image: `${control.config.accountId}.dkr.ecr.us-east-1.amazonaws.com/hosts/busybox:1`,
      agents,
      async restartAgent(i) {
        agents[i] = await hosts.hosts[i]!.startAgent(plane, flags[i]);
        return agents[i];
      },
      async dispose() {
        await plane.dispose();
        await hosts.dispose();
      },
    };
  } catch (err) {
    await control?.dispose();
    await hosts.dispose();
    throw err;
  }
}

/** A container that runs until told to stop, and stops at once on SIGTERM. */
export function sleeper(image: string, extra: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return { name: 'app', image, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done'], stopTimeout: 2, ...extra };
}

/** Registers an EC2 awsvpc task definition of one container with task-level cpu and memory. */
export async function registerEc2(ecs: ECSClient, family: string, container: ContainerDefinition, size = { cpu: '128', memory: '128' }): Promise<TaskDefinition> {
  const res = await ecs.send(
    new RegisterTaskDefinitionCommand({ family, networkMode: 'awsvpc', requiresCompatibilities: ['EC2'], ...size, containerDefinitions: [container] }),
  );
  return res.taskDefinition!;
}

/** Polls until `check` holds (bounded). */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000, everyMs = 150): Promise<T> {
  for (const end = Date.now() + ms; ; ) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** DescribeTasks of any number of tasks (described 100 at a time). */
export async function describeTasks(ecs: ECSClient, cluster: string, arns: readonly string[]): Promise<Task[]> {
  const out: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const res = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }));
    out.push(...(res.tasks ?? []));
  }
  return out;
}

/** Every task of the cluster the control plane still lists (desired RUNNING and STOPPED), described. */
export async function allTasks(ecs: ECSClient, cluster: string, serviceName?: string): Promise<Task[]> {
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    let nextToken: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await ecs.send(new ListTasksCommand({ cluster, desiredStatus, ...(serviceName && { serviceName }), ...(nextToken && { nextToken }) }));
      arns.push(...(res.taskArns ?? []));
      nextToken = res.nextToken;
      if (!nextToken) break;
    }
  }
  // A task stopped between the two listings is in both.
  return describeTasks(ecs, cluster, [...new Set(arns)]);
}

/** Stops the tasks and waits until every one is STOPPED. */
export async function stopAndWait(ecs: ECSClient, cluster: string, arns: readonly string[], ms = 60_000): Promise<Task[]> {
  for (const task of arns) await ecs.send(new StopTaskCommand({ cluster, task, reason: 'test cleanup' }));
  return until(
    'the tasks stopped',
    async () => {
      const tasks = await describeTasks(ecs, cluster, arns);
      return tasks.every((t) => t.lastStatus === 'STOPPED') && tasks;
    },
    ms,
  );
}

/** DescribeContainerInstances of the fixture's agents, in host order. */
export async function describeAgents(f: HostsFixture): Promise<ContainerInstance[]> {
  const res = await f.ecs.send(new DescribeContainerInstancesCommand({ cluster: f.cluster, containerInstances: f.agents.map((a) => a.containerInstanceArn) }));
  return f.agents.map((a) => res.containerInstances!.find((c) => c.containerInstanceArn === a.containerInstanceArn)!);
}

/** A registered or remaining resource's integer value by name. */
export const resource = (list: ContainerInstance['remainingResources'], name: string): number | undefined => list?.find((r) => r.name === name)?.integerValue;

/** The task ids whose containers the agent of `host` runs (running ones only). */
export function runningOn(f: HostsFixture, i: number): string[] {
  return agentContainers(f.hosts.hosts[i]!)
    .filter((c) => c.status === 'running')
    .map((c) => c.id.split('-')[0]!)
    .sort();
}
