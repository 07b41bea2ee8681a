/**
 * Acceptance: a cluster with an EC2-style capacity provider (managed scaling ENABLED) and no
 * instances; a service of small busybox tasks on it. The provisioning loop records its plan in
 * the service events, a simulated node (a real `minato agent` in its own network namespace)
 * joins with the planned instance type, the tasks run on it, and closing the platform leaves
 * nothing behind. Needs `npm run build` (the nodes run bin/minato.js) and root.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeContainerInstancesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import { removeTaskBridge } from '../support/platform.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type PlatformConfig } from '../../src/cli/config.js';
import { startPlatform, type Platform } from '../../src/cli/platform.js';
import { recordedNetns } from '../../src/nodes/local/node-cleanup.js';
import { buildImage, pushImageLayout } from '../support/oci-image.js';
import { liveTasks, messagesOf, NETWORK, sleeper, waitForService } from '../services/service-fixture.js';

const tag = `${process.pid % 10000}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;
const bridge = `mn${tag}`.slice(0, 10);
const octet = Math.floor(Math.random() * 250);
const dataDir = mkdtempSync(join(tmpdir(), 'minato-nodes-'));
const taskBridge = `mnt${tag}`.slice(0, 12);
const config: PlatformConfig = {
  ...DEFAULT_CONFIG,
  host: '127.0.0.1',
  port: 0,
  dataDir,
  accessKeyId: 'AKIDLOCALNODES',
  secretAccessKey: 'local-nodes-secret',
  taskBridge,
  taskSubnet: `10.214.${octet}.0/24`,
  localNodes: { bridge, subnet: `10.218.${octet}.0/24`, taskSubnetPrefix: `10.${220 + Math.floor(Math.random() * 30)}`, maxNodes: 2 },
};
const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8' });
const linkExists = (name: string) => {
  try {
    execFileSync('ip', ['link', 'show', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

let platform: Platform;
let ecs: ECSClient;
let closed = false;

beforeAll(async () => {
  platform = await startPlatform(config, pino({ level: 'silent' }), { metadataPort: 0 });
  const credentials = { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey };
  ecs = new ECSClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const ecr = new ECRClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'nodes/busybox' }));
  const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
  ecr.destroy();
  const [username, password] = Buffer.from(authorizationData![0]!.authorizationToken!, 'base64').toString().split(':') as [string, string];
  const built = await buildImage({ busybox: true, config: { Cmd: ['sh'], Env: ['PATH=/bin'] } });
  await pushImageLayout(built.dir, `${new URL(platform.endpoint).host}/nodes/busybox:1`, { auth: { username, password } });
  await built.cleanup();
}, 120_000);

afterAll(async () => {
  ecs?.destroy();
  if (!closed) {
    await platform?.stopAllTasks();
    await platform?.close();
  }
  await removeTaskBridge(taskBridge).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('local nodes for a managed-scaling capacity provider', () => {
  it('scales out with a node that joins with the planned type, runs the service, and leaves nothing on close', async () => {
    await ecs.send(
      new CreateCapacityProviderCommand({
        name: 'cp-local',
        autoScalingGroupProvider: {
          autoScalingGroupArn: 'local-group',
          managedScaling: { status: 'ENABLED', targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 2, instanceWarmupPeriod: 120 },
        },
      }),
    );
    await ecs.send(new CreateClusterCommand({ clusterName: 'nodes', capacityProviders: ['cp-local'] }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'small',
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '256',
        containerDefinitions: [{ ...sleeper(`${config.accountId}.dkr.ecr.us-east-1.amazonaws.com/nodes/busybox:1`), stopTimeout: 2 }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'nodes',
        serviceName: 'web',
        taskDefinition: 'small',
        desiredCount: 2,
        capacityProviderStrategy: [{ capacityProvider: 'cp-local', weight: 1 }],
        networkConfiguration: NETWORK,
      }),
    );
    const steady = await waitForService(ecs, 'nodes', 'web', (s) => messagesOf(s).some((m) => m.endsWith('has reached a steady state.')), 90_000);
    const messages = messagesOf(steady);
    const scaling = messages.filter((m) => m.includes('is scaling out'));
    expect(scaling).toHaveLength(1);
    const planned = /^\(service web\) capacity provider cp-local is scaling out: launching 1 × (\S+) \(on-demand, (\S+)\) for 2 tasks; .+[^.]\.$/.exec(scaling[0]!);
    expect(planned, scaling[0]).not.toBeNull();

    const { containerInstanceArns } = await ecs.send(new ListContainerInstancesCommand({ cluster: 'nodes' }));
    expect(containerInstanceArns).toHaveLength(1);
    const { containerInstances } = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'nodes', containerInstances: containerInstanceArns! }));
    const instance = containerInstances![0]!;
    const attr = (name: string) => instance.attributes?.find((a) => a.name === name)?.value;
    expect(attr('ecs.instance-type')).toBe(planned![1]);
    expect(attr('ecs.availability-zone')).toBe(planned![2]);
    expect(attr('minato.capacity-group')).toBe('local-group');
    expect(instance.agentConnected).toBe(true);
    const tasks = await liveTasks(ecs, 'nodes', 'web');
    expect(tasks.map((t) => [t.lastStatus, t.containerInstanceArn, t.capacityProviderName])).toEqual([
      ['RUNNING', instance.containerInstanceArn, 'cp-local'],
      ['RUNNING', instance.containerInstanceArn, 'cp-local'],
    ]);
    // The node is a namespace on the node bridge.
    const namespaces = ip('netns', 'list');
    expect(namespaces).toContain(`${bridge}-n0`);
    // The tasks' namespaces (a pooled sandbox's, or one named after the task), as the node's agent records them.
    const nodesDir = join(dataDir, 'nodes');
    const taskNamespaces = readdirSync(nodesDir)
      .filter((f) => f.startsWith('node-'))
      .flatMap((d) => recordedNetns(join(nodesDir, d)));
    expect(taskNamespaces.length).toBeGreaterThanOrEqual(tasks.length);
    for (const name of taskNamespaces) expect(namespaces).toContain(name);

    await platform.close();
    closed = true;
    expect(linkExists(bridge)).toBe(false);
    expect(ip('netns', 'list')).not.toContain(`${bridge}-n`);
    const left = ip('netns', 'list');
    for (const name of taskNamespaces) expect(left).not.toContain(name);
    const nodeDirs = existsSync(join(dataDir, 'nodes')) ? readdirSync(join(dataDir, 'nodes')).filter((f) => f.startsWith('node-')) : [];
    expect(nodeDirs).toEqual([]);
    // Nor the tasks' cgroups, in any hierarchy.
    const taskCgroups = tasks.flatMap((t) => ['memory', 'cpu', 'pids'].map((h) => `/sys/fs/cgroup/${h}/minato/${t.taskArn!.split('/').pop()}`));
    expect(taskCgroups.filter((d) => existsSync(d))).toEqual([]);
  }, 150_000);
});
