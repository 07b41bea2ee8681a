import {
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DeleteServiceCommand,
  DeregisterInstanceCommand,
  GetOperationCommand,
  RegisterInstanceCommand,
  ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';
import { StopTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstHost, formatIpv4, parseSubnet } from '../../src/agent/network/ipv4.js';
import { admitToDefaultGroup } from '../support/default-vpc.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { registerAndRun, taskLogs } from '../tasks/probe-task.js';
import { isRunning, isStopped, startImageFixture, waitForTask, type ImageFixture } from '../tasks/task-fixture.js';

/**
 * A real task resolves a Cloud Map name through the DNS server on its bridge gateway (named in its
 * resolv.conf) and fetches from the task registered under it. Forwarding is off (no upstreams), so
 * no query leaves the host.
 */
const C = 'cloudmap';
let platform: TestPlatform | undefined;
let ecs: ECSClient;
let sd: ServiceDiscoveryClient;
let fixture: ImageFixture;

beforeAll(async () => {
  platform = await startTestPlatform({}, { dnsUpstreams: async () => [] });
  ecs = platform.ecs();
  // A bridge mode task is in no security group: the server's (default) group admits it by a rule.
  await admitToDefaultGroup(platform.endpoint, 8080);
  sd = new ServiceDiscoveryClient({
    endpoint: platform.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: platform.config.accessKeyId, secretAccessKey: platform.config.secretAccessKey },
    maxAttempts: 1,
    disableHostPrefix: true,
  });
  fixture = await startImageFixture();
}, 120_000);
afterAll(async () => {
  sd?.destroy();
  ecs?.destroy();
  await platform?.dispose();
  await fixture?.stop();
}, 60_000);

describe('task DNS with real containers', () => {
  it('resolves <service>.<namespace> to another task registered with RegisterInstance, and fetches from it with wget', async () => {
    const server = await registerAndRun(ecs, C, {
      family: 'cloudmap-server',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'web', image: fixture.image, command: ['sh', '-c', 'trap "exit 0" TERM; httpd -f -p 8080 -h /www & wait'] }],
    });
    const running = await waitForTask(ecs, C, server.taskArn!, (t) => isRunning(t) || isStopped(t), 90_000);
    expect(running.lastStatus).toBe('RUNNING');
    const address = running.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value;
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const taskId = server.taskArn!.split('/').pop()!;

    const { OperationId } = await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'apps.local', Vpc: 'vpc-0123456789abcdef0' }));
    const namespaceId = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
    const { Service } = await sd.send(
      new CreateServiceCommand({ Name: 'web', NamespaceId: namespaceId, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 5 }, { Type: 'SRV', TTL: 5 }] } }),
    );
    await sd.send(new RegisterInstanceCommand({ ServiceId: Service!.Id, InstanceId: taskId, Attributes: { AWS_INSTANCE_IPV4: address!, AWS_INSTANCE_PORT: '8080' } }));
    try {
      const gateway = formatIpv4(firstHost(parseSubnet(platform!.config.taskSubnet)!));
      const script = [
        // The task's only resolver is the DNS server on its gateway.
        `[ "$(grep nameserver /etc/resolv.conf)" = "nameserver ${gateway}" ] || exit 5`,
        'a=$(nslookup -type=a web.apps.local 2>&1); echo "a: $a"',
        'srv=$(nslookup -type=srv web.apps.local 2>&1); echo "srv: $srv"',
        'body=$(wget -qO- http://web.apps.local:8080/index.html 2>&1); echo "body: $body"',
        `case "$a" in *${address}*) ;; *) exit 1;; esac`,
        `case "$srv" in *8080*${taskId}.web.apps.local*) ;; *) exit 2;; esac`,
        'case "$body" in "hello from a task") ;; *) exit 3;; esac',
        'missing=$(nslookup -type=a nothing.apps.local 2>&1); echo "missing: $missing"',
        'case "$missing" in *NXDOMAIN*) ;; *) exit 4;; esac',
        'exit 0',
      ].join('\n');
      const client = await registerAndRun(ecs, C, {
        family: 'cloudmap-client',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'probe', image: fixture.image, command: ['sh', '-c', script] }],
      });
      const done = await waitForTask(ecs, C, client.taskArn!, isStopped, 90_000);
      expect(done.containers?.[0]?.exitCode, await taskLogs(platform!.config.dataDir, done)).toBe(0);

      // bridge mode resolves through the gateway as well; host mode keeps the host's resolv.conf;
      // a definition's own dnsServers win.
      const probe = async (family: string, networkMode: 'bridge' | 'host', check: string, dnsServers?: string[]) => {
        const started = await registerAndRun(ecs, C, {
          family,
          networkMode,
          requiresCompatibilities: ['EC2'],
          containerDefinitions: [{ name: 'probe', image: fixture.image, memory: 64, command: ['sh', '-c', check], ...(dnsServers && { dnsServers }) }],
        });
        const stopped = await waitForTask(ecs, C, started.taskArn!, isStopped, 90_000);
        return { code: stopped.containers?.[0]?.exitCode, logs: await taskLogs(platform!.config.dataDir, stopped) };
      };
      const bridge = await probe(
        'cloudmap-bridge',
        'bridge',
        `[ "$(grep nameserver /etc/resolv.conf)" = "nameserver ${gateway}" ] || exit 5\nwget -qO- http://web.apps.local:8080/index.html | grep -q "hello from a task" || exit 3`,
      );
      expect(bridge.code, bridge.logs).toBe(0);
      const host = await probe('cloudmap-host', 'host', `grep -q "nameserver ${gateway}" /etc/resolv.conf && exit 5; exit 0`);
      expect(host.code, host.logs).toBe(0);
      const own = await probe('cloudmap-own-dns', 'bridge', '[ "$(grep nameserver /etc/resolv.conf)" = "nameserver 192.0.2.53" ] || exit 5', ['192.0.2.53']);
      expect(own.code, own.logs).toBe(0);
    } finally {
      await ecs.send(new StopTaskCommand({ cluster: C, task: server.taskArn! }));
      await waitForTask(ecs, C, server.taskArn!, isStopped, 60_000);
      await sd.send(new DeregisterInstanceCommand({ ServiceId: Service!.Id, InstanceId: taskId }));
      await sd.send(new DeleteServiceCommand({ Id: Service!.Id }));
      await sd.send(new DeleteNamespaceCommand({ Id: namespaceId }));
    }
  }, 240_000);
});
