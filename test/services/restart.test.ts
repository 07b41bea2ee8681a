import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateServiceCommand, DeleteServiceCommand, ECSClient } from '@aws-sdk/client-ecs';
import { removeTaskBridge } from '../support/platform.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMinato, type MinatoProcess } from '../support/minato-process.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { liveTasks, messagesOf, NETWORK, registerFargate, sleeper, waitForService } from './service-fixture.js';

let fixture: ImageFixture;
const dataDir = mkdtempSync(join(tmpdir(), 'minato-svc-restart-'));
const processes: MinatoProcess[] = [];
// Its own bridge and subnet, apart from other test platforms.
const n = 1 + Math.floor(Math.random() * 250);
const network = ['--task-bridge', `mnsvc${process.pid % 1000}x${n}`, '--task-subnet', `10.216.${n}.0/24`];

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

describe('a service across a restart of minato', () => {
  it('keeps its tasks: the same tasks are adopted, none is started twice', async () => {
    const first = await spawnMinato(['--port', '0', '--data-dir', dataDir, ...network]);
    processes.push(first);
    const ecs1 = client(first.endpoint);
    const td = await registerFargate(ecs1, 'keep', 'keep', [sleeper(fixture.image)]);
    await ecs1.send(new CreateServiceCommand({ cluster: 'keep', serviceName: 'web', taskDefinition: td, desiredCount: 2, launchType: 'FARGATE', networkConfiguration: NETWORK }));
    await waitForService(ecs1, 'keep', 'web', (s) => s.runningCount === 2 && s.deployments?.[0]?.rolloutState === 'COMPLETED');
    const before = (await liveTasks(ecs1, 'keep', 'web')).map((t) => t.taskArn).sort();
    ecs1.destroy();
    expect(await first.stop('SIGKILL')).toBe(null);

    const second = await spawnMinato(['--port', '0', '--data-dir', dataDir, ...network]);
    processes.push(second);
    const ecs2 = client(second.endpoint);
    // A few scheduler ticks pass: the adopted tasks satisfy the service.
    await new Promise((r) => setTimeout(r, 3000));
    const s = await waitForService(ecs2, 'keep', 'web', (x) => x.runningCount === 2);
    expect((await liveTasks(ecs2, 'keep', 'web')).map((t) => t.taskArn).sort()).toEqual(before);
    expect(messagesOf(s).filter((m) => m.includes('has started'))).toHaveLength(1);

    await ecs2.send(new DeleteServiceCommand({ cluster: 'keep', service: 'web', force: true }));
    await waitForService(ecs2, 'keep', 'web', (x) => x.status === 'INACTIVE');
    const end = Date.now() + 30_000;
    while ((await liveTasks(ecs2, 'keep', 'web')).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    expect(await liveTasks(ecs2, 'keep', 'web')).toEqual([]);
    ecs2.destroy();
  }, 90_000);
});
