import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateServiceCommand, DeleteServiceCommand, ECSClient, GetTaskProtectionCommand, UpdateServiceCommand, UpdateTaskProtectionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMinato, type MinatoProcess } from '../support/minato-process.js';
import { removeTaskBridge } from '../support/platform.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { addressOf, exchangeWhenListening, WORKER } from './protection-fixture.js';
import { liveTasks, messagesOf, NETWORK, registerFargate, waitForService } from './service-fixture.js';
import { admitToDefaultGroup } from '../support/default-vpc.js';

let fixture: ImageFixture;
const dataDir = mkdtempSync(join(tmpdir(), 'minato-protection-restart-'));
const processes: MinatoProcess[] = [];
const n = 1 + Math.floor(Math.random() * 250);
const network = ['--task-bridge', `mnprot${process.pid % 1000}x${n}`, '--task-subnet', `10.217.${n}.0/24`];

beforeAll(async () => {
  fixture = await startImageFixture();
});
afterAll(async () => {
  for (const p of processes) await p.stop('SIGTERM');
  await removeTaskBridge(network[1]!).catch(() => undefined);
  await fixture?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const client = (endpoint: string) =>
  new ECSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

describe('task protection across a crash of minato', () => {
  it('keeps a protection set before the crash, and an adopted task protects itself through its agent endpoint after it', async () => {
    const first = await spawnMinato(['--port', '0', '--data-dir', dataDir, ...network]);
    processes.push(first);
    const ecs1 = client(first.endpoint);
    // The tasks' group admits only its members: the host reaches their port 8080 by a rule, as on AWS.
    await admitToDefaultGroup(first.endpoint, 8080);
    const td = await registerFargate(ecs1, 'crash', 'crash-worker', [{ name: 'app', image: fixture.image, command: ['sh', '-c', WORKER] }]);
    await ecs1.send(new CreateServiceCommand({ cluster: 'crash', serviceName: 'work', taskDefinition: td, desiredCount: 2, launchType: 'FARGATE', networkConfiguration: NETWORK }));
    await waitForService(ecs1, 'crash', 'work', (s) => s.runningCount === 2, 90_000);
    const [a, b] = await liveTasks(ecs1, 'crash', 'work');
    await ecs1.send(new UpdateTaskProtectionCommand({ cluster: 'crash', tasks: [a!.taskArn!], protectionEnabled: true, expiresInMinutes: 30 }));
    ecs1.destroy();
    expect(await first.stop('SIGKILL')).toBe(null);

    const second = await spawnMinato(['--port', '0', '--data-dir', dataDir, ...network]);
    processes.push(second);
    const ecs = client(second.endpoint);
    try {
      // The adopted container keeps its token: its agent endpoint answers after the restart.
      await exchangeWhenListening(addressOf(b!), 8080, 'job\n');
      const answer = await exchangeWhenListening(addressOf(b!), 8080, '');
      expect(answer).toMatch(/^HTTP\/1\.[01] 200 /);
      expect(answer).toContain(`"ProtectionEnabled":true,"TaskArn":"${b!.taskArn}"`);
      const { protectedTasks } = await ecs.send(new GetTaskProtectionCommand({ cluster: 'crash', tasks: [a!.taskArn!, b!.taskArn!] }));
      expect(protectedTasks?.map((p) => p.protectionEnabled)).toEqual([true, true]);

      // Scaled to zero, both stay, and the scheduler says why.
      await ecs.send(new UpdateServiceCommand({ cluster: 'crash', service: 'work', desiredCount: 0 }));
      const held = await waitForService(ecs, 'crash', 'work', (s) => messagesOf(s).includes('(service work) was unable to scale in due to (reason 2 tasks under protection).'));
      expect(held.runningCount).toBe(2);
      await ecs.send(new UpdateTaskProtectionCommand({ cluster: 'crash', tasks: [a!.taskArn!, b!.taskArn!], protectionEnabled: false }));
      await waitForService(ecs, 'crash', 'work', (s) => s.runningCount === 0 && s.pendingCount === 0, 60_000);
    } finally {
      await ecs.send(new DeleteServiceCommand({ cluster: 'crash', service: 'work', force: true })).catch(() => undefined);
      await waitForService(ecs, 'crash', 'work', (s) => s.runningCount === 0, 60_000).catch(() => undefined);
      ecs.destroy();
    }
  }, 240_000);
});
