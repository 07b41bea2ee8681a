import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  type ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useRestartableMinato } from '../support/restartable-minato.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { describeService, liveTasks, NETWORK } from './service-fixture.js';

/**
 * minato SIGKILLed at many points of a service's life — during rolling deployments at offsets from
 * 10 ms to 2 s after UpdateService, during a scale-out, a scale-in and a StopTask — then restarted
 * on the same data dir. Every time the service must reach its steady state with exactly the
 * desired tasks, no container may have started twice (each container start appends its task id to
 * a file on a host volume), and at the end, after the service is deleted and minato shut down
 * cleanly, nothing may be left: no runc container, mount, network namespace, cgroup, IP lease or
 * task directory.
 */

let fixture: ImageFixture;
const minato = useRestartableMinato('crash', 217);
const { dataDir } = minato;
const startsDir = mkdtempSync(join(tmpdir(), 'minato-crash-starts-'));
const C = 'crash';

beforeAll(async () => {
  fixture = await startImageFixture();
});
afterAll(async () => {
  await fixture?.stop();
  rmSync(startsDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Registers a revision whose container records its start on the host volume, then runs until SIGTERM. */
async function register(ecs: ECSClient, version: string): Promise<string> {
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'crashy',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['EC2'],
      cpu: '128',
      memory: '128',
      volumes: [{ name: 'starts', host: { sourcePath: startsDir } }],
      containerDefinitions: [
        {
          name: 'app',
          image: fixture.image,
          environment: [{ name: 'VERSION', value: version }],
          mountPoints: [{ sourceVolume: 'starts', containerPath: '/starts' }],
          // The task's cgroup path names the task: one line per container start.
          command: ['sh', '-c', 'grep -m1 memory /proc/self/cgroup >> /starts/log; trap "exit 0" TERM; while true; do sleep 1; done'],
        },
      ],
    }),
  );
  return taskDefinition!.taskDefinitionArn!;
}

/** Container starts per task id, from the host volume. */
function starts(): Map<string, number> {
  const counts = new Map<string, number>();
  const text = existsSync(join(startsDir, 'log')) ? readFileSync(join(startsDir, 'log'), 'utf8') : '';
  for (const m of text.matchAll(/minato\/([0-9a-f]{32})\//g)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  return counts;
}

/** Waits (bounded) until the service is steady with `desired` RUNNING tasks of `td` and nothing else alive. */
async function steady(ecs: ECSClient, desired: number, td: string, timeoutMs = 90_000): Promise<{ ms: number; tasks: Task[] }> {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < timeoutMs) {
    const s = await describeService(ecs, C, 'web').catch(() => undefined);
    const live = s ? await liveTasks(ecs, C, 'web') : [];
    const done =
      s !== undefined &&
      s.deployments?.length === 1 &&
      s.deployments[0]!.rolloutState === 'COMPLETED' &&
      s.runningCount === desired &&
      s.pendingCount === 0 &&
      live.length === desired &&
      live.every((t) => t.lastStatus === 'RUNNING' && t.taskDefinitionArn === td);
    if (done) return { ms: Date.now() - started, tasks: live };
    last = JSON.stringify({ deployments: s?.deployments?.map((d) => [d.status, d.rolloutState, d.runningCount, d.desiredCount]), live: live.map((t) => [t.lastStatus, t.desiredStatus, t.taskDefinitionArn?.split(':').pop()]), events: s?.events?.slice(0, 3).map((e) => e.message) });
    await sleep(200);
  }
  throw new Error(`service not steady with ${desired} tasks of ${td}: ${last}`);
}

/** Every task of the service, whatever its state (ListTasks shows stopped ones for an hour). */
async function allTaskIds(ecs: ECSClient): Promise<string[]> {
  const ids: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster: C, serviceName: 'web', desiredStatus }));
    ids.push(...(taskArns ?? []).map((a) => a.split('/').pop()!));
  }
  return ids;
}

describe('minato SIGKILLed at many points of a service’s life', () => {
  it('reaches steady state every time, starts nothing twice, and leaves nothing behind', async () => {
    let ecs = await minato.up();
    await ecs.send(new CreateClusterCommand({ clusterName: C }));
    const revisions = [await register(ecs, 'a'), await register(ecs, 'b')];
    await ecs.send(
      new CreateServiceCommand({ cluster: C, serviceName: 'web', taskDefinition: revisions[0], desiredCount: 3, launchType: 'EC2', networkConfiguration: NETWORK }),
    );
    await steady(ecs, 3, revisions[0]!);

    const matrix: Array<{ point: string; offsetMs: number; steadyMs: number; tasks: number }> = [];
    const seen = new Set<string>();
    let desired = 3;
    let td = revisions[0]!;
    const crashAt = async (point: string, offsetMs: number, act: (ecs: ECSClient) => Promise<void>) => {
      await act(ecs);
      await sleep(offsetMs);
      await minato.kill(ecs);
      ecs = await minato.up();
      const { ms, tasks } = await steady(ecs, desired, td);
      for (const id of await allTaskIds(ecs)) seen.add(id);
      matrix.push({ point, offsetMs, steadyMs: ms, tasks: tasks.length });
      const twice = [...starts()].filter(([, count]) => count > 1);
      expect(twice, `${point} at ${offsetMs} ms`).toEqual([]);
    };

    for (const offsetMs of [10, 50, 100, 200, 400, 700, 1000, 1500, 2000]) {
      td = td === revisions[0] ? revisions[1]! : revisions[0]!;
      await crashAt('rolling deployment', offsetMs, (e) => e.send(new UpdateServiceCommand({ cluster: C, service: 'web', taskDefinition: td })).then(() => undefined));
    }
    desired = 5;
    await crashAt('scale-out 3 → 5', 300, (e) => e.send(new UpdateServiceCommand({ cluster: C, service: 'web', desiredCount: 5 })).then(() => undefined));
    desired = 2;
    await crashAt('scale-in 5 → 2', 150, (e) => e.send(new UpdateServiceCommand({ cluster: C, service: 'web', desiredCount: 2 })).then(() => undefined));
    let stoppedId = '';
    await crashAt('StopTask', 20, async (e) => {
      const [victim] = await liveTasks(e, C, 'web');
      stoppedId = victim!.taskArn!.split('/').pop()!;
      await e.send(new StopTaskCommand({ cluster: C, task: victim!.taskArn! }));
    });
    const live = (await liveTasks(ecs, C, 'web')).map((t) => t.taskArn!.split('/').pop());
    expect(live).not.toContain(stoppedId);
    process.stdout.write(`kill-point matrix:\n${matrix.map((m) => `  ${m.point.padEnd(20)} ${String(m.offsetMs).padStart(5)} ms → steady in ${m.steadyMs} ms with ${m.tasks} tasks`).join('\n')}\n`);

    // Every task that ever ran started its container once; each was recorded by the service.
    const counts = starts();
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    for (const id of counts.keys()) expect(seen.has(id), `task ${id} started but unknown to the service`).toBe(true);

    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'web', force: true }));
    const end = Date.now() + 60_000;
    while ((await liveTasks(ecs, C, 'web')).length > 0 && Date.now() < end) await sleep(200);
    expect(await liveTasks(ecs, C, 'web')).toEqual([]);
    expect(await minato.stop(ecs)).toBe(0);

    // Nothing left behind.
    const runcRoot = join(dataDir, 'runtime', 'runc');
    const containers = existsSync(runcRoot) ? execFileSync('runc', ['--root', runcRoot, 'list', '-q'], { encoding: 'utf8' }).trim() : '';
    expect(containers).toBe('');
    expect(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(dataDir))).toEqual([]);
    const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    const cgroups = existsSync('/sys/fs/cgroup/memory/minato') ? readdirSync('/sys/fs/cgroup/memory/minato') : [];
    for (const id of counts.keys()) {
      expect(namespaces).not.toContain(id.slice(0, 12));
      expect(cgroups).not.toContain(id);
    }
    const leases = (dir: string): string[] =>
      existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? leases(join(dir, e.name)) : /^\d+\.\d+\.\d+\.\d+$/.test(e.name) ? [e.name] : [])) : [];
    expect(leases(join(dataDir, 'network'))).toEqual([]);
    const taskDirs = existsSync(join(dataDir, 'tasks')) ? readdirSync(join(dataDir, 'tasks')) : [];
    expect(taskDirs).toEqual([]);
  }, 600_000);
});
