import { CreateServiceCommand, DeleteServiceCommand, UpdateServiceCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import {
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand as CreateDiscoveryServiceCommand,
  GetOperationCommand,
  ListInstancesCommand,
  ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { liveTasks, NETWORK, registerFargate, waitForService } from '../services/service-fixture.js';
import { runProbes, taskLogs } from '../tasks/probe-task.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { VPC, webContainer } from './traffic-fixture.js';

const env = usePlatform();
let ecs: ECSClient;
let sd: ServiceDiscoveryClient;
let fixture: ImageFixture;
const C = 'discovery';

beforeAll(async () => {
  ecs = env.ecs();
  const p = env.platform();
  sd = new ServiceDiscoveryClient({
    endpoint: p.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: p.config.accessKeyId, secretAccessKey: p.config.secretAccessKey },
    maxAttempts: 1,
  });
  fixture = await startImageFixture();
}, 120_000);
afterAll(async () => {
  sd?.destroy();
  await fixture?.stop();
});

const addressOf = (t: Task) => t.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value ?? '';

/** From a fresh task: the name resolves to exactly `addresses`, and a GET by name reaches one of them. */
async function resolvesFromATask(name: string, addresses: string[]): Promise<void> {
  const probe = await runProbes(ecs, C, 'probe', fixture.image, [
    {
      name: 'lookup',
      image: fixture.image,
      command: [
        'sh',
        '-c',
        [
          `nslookup ${name} > /tmp/answer || { cat /tmp/answer; exit 2; }`,
          // Only the answer section: the lines after "Name:".
          `sed -n '/^Name:/,$p' /tmp/answer | grep -o '10\\.[0-9.]*' | sort > /tmp/got`,
          `printf '%s\\n' ${[...addresses].sort().join(' ')} > /tmp/want`,
          `cmp -s /tmp/got /tmp/want || { cat /tmp/answer; exit 3; }`,
          // The service's tasks are RUNNING, but their httpd may take a moment to listen. (This
          // busybox's wget crashes with -T: `timeout` bounds it instead.)
          `for i in 1 2 3 4 5 6 7 8 9 10; do timeout 3 wget -q -O /tmp/page http://${name}:8080/ && break; sleep 1; done`,
          `[ -s /tmp/page ] || exit 4`,
          `grep -q '^web 10\\.' /tmp/page || exit 5`,
          'exit 0',
        ].join('\n'),
      ],
    },
  ]);
  expect(probe.exitCodes.lookup, await taskLogs(env.platform().config.dataDir, probe.task)).toBe(0);
}

describe('Cloud Map service discovery for ECS services', () => {
  it("registers a service's tasks, resolves their names from inside another task, and follows scaling", async () => {
    const { OperationId } = await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'app.local', Vpc: VPC }));
    const op = await sd.send(new GetOperationCommand({ OperationId }));
    expect(op.Operation?.Status).toBe('SUCCESS');
    const namespaceId = op.Operation!.Targets!.NAMESPACE!;
    const { Service: registry } = await sd.send(
      new CreateDiscoveryServiceCommand({
        Name: 'web',
        NamespaceId: namespaceId,
        DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }], RoutingPolicy: 'MULTIVALUE' },
        HealthCheckCustomConfig: { FailureThreshold: 1 },
      }),
    );
    const taskDefinition = await registerFargate(ecs, C, 'web', [webContainer(fixture.image, 'web')]);
    await ecs.send(
      new CreateServiceCommand({
        cluster: C, serviceName: 'web', taskDefinition, desiredCount: 2, launchType: 'FARGATE', networkConfiguration: NETWORK,
        serviceRegistries: [{ registryArn: registry!.Arn }],
      }),
    );
    const service = await waitForService(ecs, C, 'web', (s) => s.runningCount === 2, 120_000);
    expect(service.serviceRegistries).toEqual([{ registryArn: registry!.Arn }]);
    let tasks = await liveTasks(ecs, C, 'web');
    const instances = async () => (await sd.send(new ListInstancesCommand({ ServiceId: registry!.Id }))).Instances ?? [];
    const registered = await instances();
    expect(registered.map((i) => i.Attributes?.AWS_INSTANCE_IPV4).sort()).toEqual(tasks.map(addressOf).sort());
    expect(registered.map((i) => i.Id).sort()).toEqual(tasks.map((t) => t.taskArn!.split('/').pop()).sort());
    await resolvesFromATask('web.app.local', tasks.map(addressOf));

    await ecs.send(new UpdateServiceCommand({ cluster: C, service: 'web', desiredCount: 3 }));
    await waitForService(ecs, C, 'web', (s) => s.runningCount === 3, 120_000);
    tasks = await liveTasks(ecs, C, 'web');
    expect((await instances()).length).toBe(3);
    await resolvesFromATask('web.app.local', tasks.map(addressOf));

    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'web', force: true }));
    await waitForService(ecs, C, 'web', (s) => s.status === 'INACTIVE', 90_000);
    // A stopped task's instance is deregistered: none is left once the tasks are gone.
    const end = Date.now() + 60_000;
    while ((await instances()).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
    expect(await instances()).toEqual([]);
  }, 360_000);
});
