import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StopTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useRestartableMinato } from '../support/restartable-minato.js';
import { ensureTaskRole, isRunning, isStopped, runTask, startImageFixture, waitForTask, type ImageFixture } from './task-fixture.js';

/** Tasks across a SIGKILL of minato: acknowledged launches run, stops are carried on, the metadata endpoint keeps working. */

let fixture: ImageFixture;
const minato = useRestartableMinato('crtask', 218);
const { dataDir } = minato;

beforeAll(async () => {
  fixture = await startImageFixture();
});
afterAll(async () => {
  await fixture?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The container's k8s-file log on this host (present while the task runs). */
const containerLog = (taskArn: string) => readFileSync(join(dataDir, 'tasks', taskArn.split('/').pop()!, 'app.log'), 'utf8');

describe('tasks across a SIGKILL of minato', () => {
  it('runs every task RunTask acknowledged, once, wherever the kill fell', async () => {
    let ecs = await minato.up();
    const outcomes: string[] = [];
    for (const offsetMs of [0, 5, 20, 50, 100, 250]) {
      const res = await runTask(ecs, 'acked', 'acked', [{ name: 'app', image: fixture.image, command: ['sh', '-c', 'echo boot; trap "exit 0" TERM; while true; do sleep 1; done'] }]);
      const arn = res.tasks![0]!.taskArn!;
      await sleep(offsetMs);
      await minato.kill(ecs);
      ecs = await minato.up();
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
    expect(await minato.stop(ecs)).toBe(0);
  }, 180_000);

  it('carries a requested stop on after the restart, with the stop signal', async () => {
    let ecs = await minato.up();
    const res = await runTask(ecs, 'stopping', 'stopping', [
      { name: 'app', image: fixture.image, stopTimeout: 20, command: ['sh', '-c', 'trap "exit 7" TERM; while true; do sleep 1; done'] },
    ]);
    const arn = res.tasks![0]!.taskArn!;
    await waitForTask(ecs, 'stopping', arn, isRunning);
    await ecs.send(new StopTaskCommand({ cluster: 'stopping', task: arn, reason: 'going away' }));
    await minato.kill(ecs);
    ecs = await minato.up();
    const stopped = await waitForTask(ecs, 'stopping', arn, isStopped, 30_000);
    // 7 is the trap's code: the container got SIGTERM, not SIGKILL, after the restart.
    expect(stopped).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'going away' });
    expect(stopped.containers?.[0]?.exitCode).toBe(7);
    expect(await minato.stop(ecs)).toBe(0);
  }, 90_000);

  it('keeps an adopted container’s metadata endpoint working: same URI, same token', async () => {
    let ecs = await minato.up();
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
    await minato.kill(ecs);
    ecs = await minato.up();
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
    expect(await minato.stop(ecs)).toBe(0);
  }, 90_000);

  it("keeps an adopted task's role credentials and endpoint answering at the same addresses", async () => {
    let ecs = await minato.up();
    const role = 'arn:aws:iam::000000000000:role/adopted-task';
    await ensureTaskRole(ecs, role);
    const probe =
      'trap "exit 0" TERM; while true; do ' +
      'if timeout 5 wget -q -O - "http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" | grep -q ASIA; then c=creds-ok; else c=creds-fail; fi; ' +
      'r=$(timeout 5 wget -q -O /dev/null "$AWS_ENDPOINT_URL/" 2>&1); if echo "$r" | grep -q "40[03]"; then e=endpoint-ok; else e="endpoint-fail[$AWS_ENDPOINT_URL:$r]"; fi; ' +
      'echo "$c,$e"; sleep 0.2; done';
    const res = await runTask(ecs, 'meta', 'with-role', [{ name: 'app', image: fixture.image, command: ['sh', '-c', probe] }], { taskRoleArn: role });
    const arn = res.tasks![0]!.taskArn!;
    await waitForTask(ecs, 'meta', arn, isRunning);
    await sleep(800);
    await minato.kill(ecs);
    ecs = await minato.up();
    const restarted = Date.now();
    await waitForTask(ecs, 'meta', arn, isRunning);
    await sleep(2500);
    const after = containerLog(arn)
      .split('\n')
      .filter((l) => l.length > 0 && Date.parse(l.split(' ')[0]!) > restarted)
      .map((l) => l.split(' stdout F ').pop());
    expect(after.length).toBeGreaterThanOrEqual(3);
    expect(after.every((l) => l === 'creds-ok,endpoint-ok'), after.slice(0, 2).join(' / ')).toBe(true);
    await ecs.send(new StopTaskCommand({ cluster: 'meta', task: arn }));
    await waitForTask(ecs, 'meta', arn, isStopped);
    expect(await minato.stop(ecs)).toBe(0);
  }, 90_000);
});
