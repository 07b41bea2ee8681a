import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECSClient, StopTaskCommand } from '@aws-sdk/client-ecs';
import { removeTaskBridge } from '../support/platform.js';
import { sweepDataDir } from '../support/sweep-data-dir.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMinato, type MinatoProcess } from '../support/minato-process.js';
import { isRunning, isStopped, runTask, startImageFixture, waitForTask, type ImageFixture } from './task-fixture.js';

/** Tasks across a SIGKILL of minato: acknowledged launches run, stops are carried on, the metadata endpoint keeps working. */

let fixture: ImageFixture;
const dataDir = mkdtempSync(join(tmpdir(), 'minato-crash-tasks-'));
const n = 1 + Math.floor(Math.random() * 250);
const bridge = `mnct${process.pid % 1000}x${n}`;
const network = ['--task-bridge', bridge, '--task-subnet', `10.218.${n}.0/24`];
let current: MinatoProcess | undefined;
/** Every process started, so that a failed test leaves none running. */
const started: MinatoProcess[] = [];

beforeAll(async () => {
  fixture = await startImageFixture();
});
afterAll(async () => {
  for (const p of started) await p.stop('SIGTERM');
  await sweepDataDir(dataDir);
  await removeTaskBridge(bridge).catch(() => undefined);
  await fixture?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function up(): Promise<ECSClient> {
  current = await spawnMinato(['--port', '0', '--data-dir', dataDir, ...network]);
  started.push(current);
  return new ECSClient({ endpoint: current.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}
async function kill(ecs: ECSClient): Promise<void> {
  ecs.destroy();
  expect(await current!.stop('SIGKILL')).toBe(null);
  current = undefined;
}
/** The container's k8s-file log on this host (present while the task runs). */
const containerLog = (taskArn: string) => readFileSync(join(dataDir, 'tasks', taskArn.split('/').pop()!, 'app.log'), 'utf8');

describe('tasks across a SIGKILL of minato', () => {
  it('runs every task RunTask acknowledged, once, wherever the kill fell', async () => {
    let ecs = await up();
    const outcomes: string[] = [];
    for (const offsetMs of [0, 5, 20, 50, 100, 250]) {
      const res = await runTask(ecs, 'acked', 'acked', [{ name: 'app', image: fixture.image, command: ['sh', '-c', 'echo boot; trap "exit 0" TERM; while true; do sleep 1; done'] }]);
      const arn = res.tasks![0]!.taskArn!;
      await sleep(offsetMs);
      await kill(ecs);
      ecs = await up();
      const task = await waitForTask(ecs, 'acked', arn, (t) => t.lastStatus === 'RUNNING' || t.lastStatus === 'STOPPED', 30_000);
      expect(task.lastStatus, `killed ${offsetMs} ms after RunTask: ${task.stoppedReason}`).toBe('RUNNING');
      // Started once: one boot line (a container created but not started before the kill printed nothing).
      await sleep(300);
      expect(containerLog(arn).match(/ boot$/gm)?.length).toBe(1);
      outcomes.push(`${offsetMs} ms → ${task.lastStatus}`);
      await ecs.send(new StopTaskCommand({ cluster: 'acked', task: arn }));
      await waitForTask(ecs, 'acked', arn, isStopped);
    }
    process.stdout.write(`RunTask then SIGKILL: ${outcomes.join(', ')}\n`);
    ecs.destroy();
    await current!.stop('SIGTERM');
    current = undefined;
  }, 180_000);

  it('carries a requested stop on after the restart, with the stop signal', async () => {
    let ecs = await up();
    const res = await runTask(ecs, 'stopping', 'stopping', [
      { name: 'app', image: fixture.image, stopTimeout: 20, command: ['sh', '-c', 'trap "exit 7" TERM; while true; do sleep 1; done'] },
    ]);
    const arn = res.tasks![0]!.taskArn!;
    await waitForTask(ecs, 'stopping', arn, isRunning);
    await ecs.send(new StopTaskCommand({ cluster: 'stopping', task: arn, reason: 'going away' }));
    await kill(ecs);
    ecs = await up();
    const stopped = await waitForTask(ecs, 'stopping', arn, isStopped, 30_000);
    // 7 is the trap's code: the container got SIGTERM, not SIGKILL, after the restart.
    expect(stopped).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'going away' });
    expect(stopped.containers?.[0]?.exitCode).toBe(7);
    ecs.destroy();
    await current!.stop('SIGTERM');
    current = undefined;
  }, 90_000);

  it('keeps an adopted container’s metadata endpoint working: same URI, same token', async () => {
    let ecs = await up();
    const res = await runTask(ecs, 'meta', 'meta', [
      {
        name: 'app',
        image: fixture.image,
        command: ['sh', '-c', 'trap "exit 0" TERM; while true; do if wget -q -O /dev/null "$ECS_CONTAINER_METADATA_URI_V4/task"; then echo meta-ok; else echo meta-fail; fi; sleep 0.2; done'],
      },
    ]);
    const arn = res.tasks![0]!.taskArn!;
    await waitForTask(ecs, 'meta', arn, isRunning);
    await sleep(600);
    await kill(ecs);
    ecs = await up();
    const restarted = Date.now();
    await waitForTask(ecs, 'meta', arn, isRunning);
    await sleep(1500);
    const after = containerLog(arn)
      .split('\n')
      .filter((l) => l.length > 0 && Date.parse(l.split(' ')[0]!) > restarted)
      .map((l) => l.split(' ').pop());
    expect(after.length).toBeGreaterThanOrEqual(3);
    expect(after.every((l) => l === 'meta-ok'), after.join(',')).toBe(true);
    await ecs.send(new StopTaskCommand({ cluster: 'meta', task: arn }));
    await waitForTask(ecs, 'meta', arn, isStopped);
    ecs.destroy();
  }, 90_000);
});
