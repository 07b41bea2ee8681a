import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeDeps, fakeImages, fakeMetadata, launchSpec, ScriptedRuntime, statuses } from './task-run.fixtures.js';
import { TaskRun } from './task-run.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-taskrun-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('TaskRun', () => {
  it('makes the network with the latest firewall, and replaces it once made, whichever comes first', async () => {
    const runtime = new ScriptedRuntime();
    const { deps } = fakeDeps(runtime, undefined, dir);
    const applied: string[] = [];
    const made = deps.networks.setup.bind(deps.networks);
    let setupDone = false;
    deps.networks = {
      ...deps.networks,
      setup: async (req) => {
        await new Promise((r) => setTimeout(r, 50));
        applied.push(`setup ${req.firewall?.ingress[0]?.cidrs[0] ?? 'none'}`);
        setupDone = true;
        return made(req);
      },
      setFirewall: async (_taskId, fw) => (applied.push(`set ${fw?.ingress[0]?.cidrs[0] ?? 'none'}`), setupDone),
    };
    const fw = (cidr: string) => ({ ingress: [{ protocol: 'all', fromPort: -1, toPort: -1, cidrs: [cidr] }], egress: [] });
    // Before the start: the network is made with it.
    const early = new TaskRun({ ...launchSpec([{ name: 'app', image: 'busybox' }]), firewall: fw('10.0.0.1/32') }, deps);
    await early.setFirewall(fw('10.0.0.2/32'));
    await early.start();
    expect(applied).toEqual(['set 10.0.0.2/32', 'setup 10.0.0.2/32']);
    await early.stop({ stopCode: 'UserInitiated', stoppedReason: 'bye' });
    // While the network is made: replaced once it is.
    applied.length = 0;
    setupDone = false;
    const late = new TaskRun({ ...launchSpec([{ name: 'app', image: 'busybox' }]), firewall: fw('10.0.0.1/32') }, deps);
    const started = late.start();
    await until(() => applied.length > 0 || (late as unknown as { networkSetup?: unknown }).networkSetup !== undefined);
    await late.setFirewall(fw('10.0.0.3/32'));
    await started;
    expect(applied).toEqual(['setup 10.0.0.1/32', 'set 10.0.0.3/32']);
    await late.stop({ stopCode: 'UserInitiated', stoppedReason: 'bye' });
  });

  it('goes through ECS lifecycle states in order and stops with UserInitiated', async () => {
    const runtime = new ScriptedRuntime();
    const { deps, reports, networks } = fakeDeps(runtime, undefined, dir);
    const run = new TaskRun(launchSpec([{ name: 'app', image: 'busybox' }]), deps);
    await run.start();
    expect(statuses(reports)).toEqual(['PENDING', 'ACTIVATING', 'RUNNING']);
    expect(reports.some((r) => r.pullStartedAt) && reports.some((r) => r.pullStoppedAt)).toBe(true);
    expect(reports.find((r) => r.attachments)?.attachments?.[0]?.type).toBe('ElasticNetworkInterface');
    await run.stop({ stopCode: 'UserInitiated', stoppedReason: 'bye' });
    expect(statuses(reports)).toEqual(['PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED']);
    expect(runtime.signals).toEqual([{ id: expect.stringMatching(/-app$/), signal: 'SIGTERM' }]);
    expect(networks.torn).toHaveLength(1);
    const env = [...runtime.specs.values()][0]!.env;
    expect(env.some((e) => e.startsWith('ECS_CONTAINER_METADATA_URI_V4=http://10.9.0.1'))).toBe(true);
  });

  it('a stop that comes while a container is being created waits for it, then stops it before removing the task cgroup', async () => {
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    class SlowRuntime extends ScriptedRuntime {
      override async start(spec: Parameters<ScriptedRuntime['start']>[0]) {
        events.push('create begun');
        await gate;
        const started = await super.start(spec);
        events.push('created');
        return started;
      }
      override async removeTaskCgroup(cgroupParent: string) {
        events.push('task cgroup removed');
        await super.removeTaskCgroup(cgroupParent);
      }
    }
    const runtime = new SlowRuntime();
    const { deps, reports } = fakeDeps(runtime, undefined, dir);
    const run = new TaskRun(launchSpec([{ name: 'app', image: 'busybox' }]), deps);
    const starting = run.start();
    await until(() => events.includes('create begun'));
    const stopped = run.stop({ stopCode: 'UserInitiated', stoppedReason: 'bye' });
    await new Promise((r) => setTimeout(r, 20));
    release();
    await Promise.all([starting, stopped]);
    expect(events).toEqual(['create begun', 'created', 'task cgroup removed']);
    expect(runtime.signals).toEqual([{ id: expect.stringMatching(/-app$/), signal: 'SIGTERM' }]);
    expect(statuses(reports).at(-1)).toBe('STOPPED');
  });

  it('stops the task when an essential container exits, but not for a non-essential one', async () => {
    const runtime = new ScriptedRuntime({ side: { exitAfterMs: 10, exitCode: 1 }, app: { exitAfterMs: 80, exitCode: 3 } });
    const { deps, reports } = fakeDeps(runtime, undefined, dir);
    const run = new TaskRun(launchSpec([{ name: 'app', image: 'busybox' }, { name: 'side', image: 'busybox', essential: false }]), deps);
    await run.start();
    await until(() => statuses(reports).includes('STOPPED'));
    const stop = reports.find((r) => r.stopCode);
    expect(stop).toMatchObject({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    const exits = reports.flatMap((r) => Object.entries(r.containers ?? {}).filter(([, c]) => c.exitCode !== undefined));
    expect(exits.map(([n, c]) => [n, c.exitCode])).toEqual([['side', 1], ['app', 3]]);
  });

  it('starts containers as their dependsOn conditions allow', async () => {
    const runtime = new ScriptedRuntime({ init: { exitAfterMs: 30, exitCode: 0 } });
    const { deps } = fakeDeps(runtime, undefined, dir);
    const run = new TaskRun(
      launchSpec([
        { name: 'app', image: 'busybox', dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }, { containerName: 'db', condition: 'HEALTHY' }] },
        { name: 'init', image: 'busybox', essential: false },
        { name: 'db', image: 'busybox', healthCheck: { command: ['CMD', 'true'], interval: 5 } },
      ]),
      deps,
    );
    await run.start();
    expect(runtime.started.map((id) => id.split('-').pop())).toEqual(['init', 'db']);
    // The db's first probe runs one interval (5 s) after it starts; the test does not wait for it.
    await run.stop({ stopCode: 'UserInitiated', stoppedReason: 'x' });
    expect(runtime.started.some((id) => id.endsWith('-app'))).toBe(false);
  });

  it('fails to start with the reason when a SUCCESS dependency exits non-zero', async () => {
    const runtime = new ScriptedRuntime({ init: { exitAfterMs: 10, exitCode: 2 } });
    const { deps, reports } = fakeDeps(runtime, undefined, dir);
    const run = new TaskRun(
      launchSpec([{ name: 'app', image: 'busybox', dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] }, { name: 'init', image: 'busybox', essential: false }]),
      deps,
    );
    await run.start();
    await until(() => statuses(reports).includes('STOPPED'));
    expect(reports.find((r) => r.stopCode)?.stopCode).toBe('TaskFailedToStart');
    expect(reports.find((r) => r.stoppedReason)?.stoppedReason).toContain('DependencyNotSatisfied');
  });

  it('sends SIGKILL after stopTimeout to a container that ignores SIGTERM', async () => {
    const runtime = new ScriptedRuntime({ app: { ignores: ['SIGTERM'] } });
    const { deps, reports } = fakeDeps(runtime, undefined, dir);
    const run = new TaskRun(launchSpec([{ name: 'app', image: 'busybox', stopTimeout: 1 }]), deps);
    await run.start();
    const t0 = Date.now();
    await run.stop({ stopCode: 'UserInitiated', stoppedReason: 'x' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(runtime.signals.map((s) => s.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(reports.flatMap((r) => Object.values(r.containers ?? {})).find((c) => c.exitCode !== undefined)?.exitCode).toBe(137);
  });

  it('stops with CannotPullContainerError when an image cannot be pulled', async () => {
    const runtime = new ScriptedRuntime();
    const { deps, reports } = fakeDeps(runtime, fakeImages([]), dir);
    await new TaskRun(launchSpec([{ name: 'app', image: 'nope:1' }]), deps).start();
    await until(() => statuses(reports).includes('STOPPED'));
    expect(reports.find((r) => r.stopCode)).toMatchObject({ stopCode: 'TaskFailedToStart' });
    expect(reports.find((r) => r.stoppedReason)?.stoppedReason).toMatch(/^CannotPullContainerError/);
    expect(runtime.started).toEqual([]);
  });

  it('reports the OOM reason for a container killed by the memory limit', async () => {
    const runtime = new ScriptedRuntime();
    const { deps, reports } = fakeDeps(runtime, undefined, dir);
    const run = new TaskRun(launchSpec([{ name: 'app', image: 'busybox', memory: 16 }]), deps);
    await run.start();
    runtime.exit(runtime.started[0]!, 137, true);
    await until(() => statuses(reports).includes('STOPPED'));
    const app = reports.flatMap((r) => Object.values(r.containers ?? {})).find((c) => c.exitCode === 137);
    expect(app?.reason).toBe('OutOfMemoryError: Container killed due to memory usage');
  });

  it('resolves secrets into the environment, and fails to start when one is missing', async () => {
    const runtime = new ScriptedRuntime();
    const { deps, reports } = fakeDeps(runtime, undefined, dir);
    deps.secrets = async (valueFrom) => {
      if (valueFrom === 'ok') return 's3cr3t';
      throw new Error('ResourceInitializationError: unable to pull secrets or registry auth: secret not found');
    };
    const good = new TaskRun(launchSpec([{ name: 'app', image: 'busybox', secrets: [{ name: 'DB_PASSWORD', valueFrom: 'ok' }] }]), deps);
    await good.start();
    expect([...runtime.specs.values()][0]!.env).toContain('DB_PASSWORD=s3cr3t');
    await good.stop({ stopCode: 'UserInitiated', stoppedReason: 'x' });
    reports.length = 0;
    const bad = new TaskRun(launchSpec([{ name: 'app', image: 'busybox', secrets: [{ name: 'X', valueFrom: 'missing' }] }]), deps);
    await bad.start();
    await until(() => statuses(reports).includes('STOPPED'));
    expect(reports.find((r) => r.stoppedReason)?.stoppedReason).toMatch(/^ResourceInitializationError/);
    expect(runtime.started).toHaveLength(1); // only the first task's container ever started
  });

  it('takes a running task back after a restart: its container is followed, and its exit stops the task', async () => {
    const runtime = new ScriptedRuntime();
    const first = fakeDeps(runtime, undefined, dir);
    const spec = launchSpec([{ name: 'app', image: 'busybox' }]);
    await new TaskRun(spec, first.deps).start();
    const token = [...runtime.specs.values()][0]!.env.find((e) => e.startsWith('ECS_CONTAINER_METADATA_URI_V4='));
    // The agent restarts: a new run of the same task takes it back from what was recorded.
    const { deps, reports } = fakeDeps(runtime, undefined, dir);
    const registered: string[] = [];
    deps.metadata = { ...fakeMetadata(), register: async (gateway, t) => (registered.push(t), `http://${gateway}:1/v4/${t}`) };
    await new TaskRun(spec, deps).adopt({ lastStatus: 'RUNNING', containers: { app: { lastStatus: 'RUNNING' } } });
    expect(runtime.started).toHaveLength(1);
    expect(token).toBe(`ECS_CONTAINER_METADATA_URI_V4=http://10.9.0.1:1/v4/${registered[0]}`);
    runtime.exit(runtime.started[0]!, 0);
    await until(() => statuses(reports).includes('STOPPED'));
    expect(reports.find((r) => r.stopCode)).toMatchObject({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    expect(statuses(reports)).toEqual(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED']);
  });
});
