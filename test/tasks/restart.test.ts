import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECSClient, StopTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMinato, type MinatoProcess } from '../support/minato-process.js';
import { removeTaskBridge } from '../support/platform.js';
import { isRunning, isStopped, runTask, startImageFixture, waitForTask, type ImageFixture } from './task-fixture.js';

let fixture: ImageFixture;
const dataDir = mkdtempSync(join(tmpdir(), 'minato-restart-'));
const processes: MinatoProcess[] = [];

beforeAll(async () => {
  fixture = await startImageFixture();
});
// Its own bridge and subnet, apart from other test platforms (and from a minato running here).
const network = ['--task-bridge', `mnrestart${process.pid % 1000}`, '--task-subnet', '10.215.7.0/24'];

afterAll(async () => {
  for (const p of processes) await p.stop('SIGTERM');
  await removeTaskBridge(network[1]!);
  await fixture?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const client = (endpoint: string) =>
  new ECSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

describe('minato killed while tasks run', () => {
  it('re-adopts running tasks after a restart: still RUNNING, still stoppable', async () => {
    const first = await spawnMinato(['--port', '0', '--data-dir', dataDir, ...network]);
    processes.push(first);
    const ecs1 = client(first.endpoint);
    const res = await runTask(ecs1, 'survive', 'survivor', [
      { name: 'app', image: fixture.image, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] },
    ]);
    const arn = res.tasks![0]!.taskArn!;
    await waitForTask(ecs1, 'survive', arn, isRunning);
    ecs1.destroy();
    expect(await first.stop('SIGKILL')).toBe(null);

    const second = await spawnMinato(['--port', '0', '--data-dir', dataDir, ...network]);
    processes.push(second);
    const ecs2 = client(second.endpoint);
    const running = await waitForTask(ecs2, 'survive', arn, (t) => t.lastStatus === 'RUNNING');
    expect(running.containers?.[0]?.lastStatus).toBe('RUNNING');
    await ecs2.send(new StopTaskCommand({ cluster: 'survive', task: arn }));
    const stopped = await waitForTask(ecs2, 'survive', arn, isStopped);
    expect(stopped.containers?.[0]?.exitCode).toBe(0);
    expect(stopped.stopCode).toBe('UserInitiated');
    ecs2.destroy();
    // One process per data dir: the next test starts its own.
    expect(await second.stop('SIGTERM')).toBe(0);
  });

  it('exits 0 on SIGTERM while tasks run, and they run on to be adopted', async () => {
    const first = await spawnMinato(['--port', '0', '--data-dir', dataDir, ...network]);
    processes.push(first);
    const ecs1 = client(first.endpoint);
    const res = await runTask(ecs1, 'survive', 'survivor', [
      { name: 'app', image: fixture.image, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] },
    ]);
    const arn = res.tasks![0]!.taskArn!;
    await waitForTask(ecs1, 'survive', arn, isRunning);
    ecs1.destroy();
    const stopping = performance.now();
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(performance.now() - stopping).toBeLessThan(10_000);

    const second = await spawnMinato(['--port', '0', '--data-dir', dataDir, ...network]);
    processes.push(second);
    const ecs2 = client(second.endpoint);
    await waitForTask(ecs2, 'survive', arn, isRunning);
    await ecs2.send(new StopTaskCommand({ cluster: 'survive', task: arn }));
    expect((await waitForTask(ecs2, 'survive', arn, isStopped)).containers?.[0]?.exitCode).toBe(0);
    ecs2.destroy();
    expect(await second.stop('SIGINT')).toBe(0);
  });
});
