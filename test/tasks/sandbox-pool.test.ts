import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTasksCommand, StopTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execChecked } from '../../src/agent/network/exec.js';
import { useRestartableMinato } from '../support/restartable-minato.js';
import { isRunning, isStopped, runTask, startImageFixture, waitForTask, type ImageFixture } from './task-fixture.js';

/** The pool of task network sandboxes with real CNI plugins: used by tasks, refilled, and left nowhere. */

let fixture: ImageFixture;
const minato = useRestartableMinato('sbpool', 221);
const { dataDir } = minato;

beforeAll(async () => {
  fixture = await startImageFixture();
});
afterAll(async () => {
  await fixture?.stop();
});

interface Sandbox {
  id: string;
  netnsName: string;
  address: string;
  bridge: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const poolDir = join(dataDir, 'network', 'pool');

/** The pool's finished sandboxes, from its records. */
function pooled(): Sandbox[] {
  let files: string[] = [];
  try {
    files = readdirSync(poolDir).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
  } catch {
    return [];
  }
  return files.flatMap((f) => {
    const r = JSON.parse(readFileSync(join(poolDir, f), 'utf8')) as {
      taskId: string;
      netnsName: string;
      result?: { ips?: Array<{ address: string }> };
      network: { plugins: Array<{ type: string; bridge?: string }> };
    };
    const address = r.result?.ips?.[0]?.address.split('/')[0];
    const bridge = r.network.plugins.find((p) => p.type === 'bridge')?.bridge ?? '';
    return address ? [{ id: r.taskId, netnsName: r.netnsName, address, bridge }] : [];
  });
}

/** Waits until the pool holds `n` finished sandboxes, none of them among `old`. */
async function poolOf(n: number, old: readonly Sandbox[] = [], timeoutMs = 20_000): Promise<Sandbox[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const now = pooled();
    if (now.length === n && !now.some((s) => old.some((o) => o.id === s.id))) return now;
    if (Date.now() > until) throw new Error(`the pool holds ${now.length} sandboxes, not ${n}`);
    await sleep(50);
  }
}

const netnsList = async () => (await execChecked('ip', ['netns', 'list'])).split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
/** The interfaces enslaved to the bridge: one veth per live sandbox or task network. */
const bridgePorts = async (bridge: string) => (await execChecked('ip', ['-o', 'link', 'show', 'master', bridge])).split('\n').filter(Boolean).length;
const containerLog = (taskArn: string) => readFileSync(join(dataDir, 'tasks', taskArn.split('/').pop()!, 'app.log'), 'utf8');

async function describe1(ecs: ECSClient, arn: string) {
  return (await ecs.send(new DescribeTasksCommand({ cluster: 'pool', tasks: [arn] }))).tasks![0]!;
}

describe('the task network sandbox pool', () => {
  it('gives a task a pooled namespace, refills, and leaves nothing after a crash, a restart and a stop', async () => {
    let ecs = await minato.up();
    const first = await poolOf(4);
    const bridge = first[0]!.bridge;
    expect(await bridgePorts(bridge)).toBe(4);

    const res = await runTask(ecs, 'pool', 'pool', [
      { name: 'app', image: fixture.image, command: ['sh', '-c', 'ip -4 -o addr show eth0; trap "exit 0" TERM; while true; do sleep 1; done'] },
    ]);
    const arn = res.tasks![0]!.taskArn!;
    await waitForTask(ecs, 'pool', arn, isRunning);
    const task = await describe1(ecs, arn);
    const address = task.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value;
    // The task got one of the sandboxes made before it was asked for, and its container runs in it.
    const used = first.find((s) => s.address === address);
    expect(used, `task address ${address}, pooled ${first.map((s) => s.address).join(', ')}`).toBeDefined();
    for (let i = 0; i < 50 && !containerLog(arn).includes('inet '); i++) await sleep(100);
    expect(containerLog(arn)).toContain(`inet ${address}/`);
    expect(await netnsList()).toContain(used!.netnsName);

    // Refilled: four again, the task's not among them.
    const refilled = await poolOf(4, [used!]);
    expect(await bridgePorts(bridge)).toBe(5);

    // A crash leaves the pool's sandboxes behind; the next start removes them (not the task's) and makes new ones.
    await minato.kill(ecs);
    ecs = await minato.up();
    await waitForTask(ecs, 'pool', arn, isRunning);
    const after = await poolOf(4, refilled);
    const names = await netnsList();
    for (const s of refilled) expect(names).not.toContain(s.netnsName);
    expect(names).toContain(used!.netnsName);
    expect(await bridgePorts(bridge)).toBe(5);
    expect((await describe1(ecs, arn)).lastStatus).toBe('RUNNING');

    // The task's stop removes its (pooled) namespace; a shutdown removes the pool.
    await ecs.send(new StopTaskCommand({ cluster: 'pool', task: arn }));
    await waitForTask(ecs, 'pool', arn, isStopped);
    expect(await netnsList()).not.toContain(used!.netnsName);
    expect(await minato.stop(ecs)).toBe(0);
    expect(readdirSync(poolDir).filter((f) => f.endsWith('.json'))).toEqual([]);
    const left = await netnsList();
    for (const s of [...first, ...refilled, ...after]) expect(left).not.toContain(s.netnsName);
    expect(await bridgePorts(bridge)).toBe(0);
  }, 120_000);
});
