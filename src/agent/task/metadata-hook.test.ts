import { describe, expect, it } from 'vitest';
import { metadataEnvironment, metadataProvider } from './metadata-hook.js';
import type { RuntimeStats } from './ports.js';
import { fakeContext, fakeNetworks } from './task-run.fixtures.js';

const sample = (cpuUsageNs: number, readAt: Date): RuntimeStats => ({
  readAt,
  cpuUsageNs,
  cpuPerCpuNs: [cpuUsageNs],
  systemCpuUsageNs: cpuUsageNs * 10,
  onlineCpus: 1,
  memoryUsageBytes: 1024,
  memoryMaxUsageBytes: 2048,
  memoryLimitBytes: 4096,
  memoryStat: {},
  pids: 1,
});

describe('metadataEnvironment', () => {
  it('registers the container under its token and returns the variables ECS injects', async () => {
    const { ctx } = fakeContext([{ name: 'app', image: 'busybox' }]);
    ctx.network = await fakeNetworks().setup({ taskId: ctx.spec.taskId, region: ctx.spec.region, portMappings: [] });
    const app = ctx.containers.get('app')!;
    expect(await metadataEnvironment(ctx, app)).toEqual([
      `ECS_CONTAINER_METADATA_URI_V4=http://10.9.0.1:1/v4/${app.token}`,
      `ECS_CONTAINER_METADATA_URI=http://10.9.0.1:1/v4/${app.token}`,
      `ECS_AGENT_URI=http://10.9.0.1:1/api/${app.token}`,
      'AWS_EXECUTION_ENV=AWS_ECS_FARGATE',
      'AWS_REGION=us-east-1',
      'AWS_DEFAULT_REGION=us-east-1',
    ]);
  });
});

describe('metadataProvider', () => {
  it('serves the run as it is when asked', () => {
    const { ctx } = fakeContext([{ name: 'app', image: 'busybox' }]);
    const provider = metadataProvider(ctx, ctx.containers.get('app')!);
    expect(provider.task()).toMatchObject({ KnownStatus: 'PROVISIONING' });
    ctx.status = 'RUNNING';
    ctx.containers.get('app')!.status = 'STARTING';
    expect(provider.task()).toMatchObject({ KnownStatus: 'RUNNING' });
    expect(provider.container()).toMatchObject({ Name: 'app', KnownStatus: 'CREATED' });
  });

  it('samples live containers only, each sample becoming the next one’s precpu_stats', async () => {
    const { ctx, deps } = fakeContext([{ name: 'app', image: 'busybox' }, { name: 'done', image: 'busybox' }]);
    const samples = [sample(100, new Date(1000)), sample(300, new Date(2000))];
    deps.runtime.stats = async () => samples.shift();
    ctx.containers.get('app')!.status = 'RUNNING';
    ctx.containers.get('done')!.status = 'STOPPED';
    const provider = metadataProvider(ctx, ctx.containers.get('app')!);
    expect(await provider.containerStats()).toMatchObject({ preread: '0001-01-01T00:00:00Z', cpu_stats: { cpu_usage: { total_usage: 100 } } });
    const all = (await provider.taskStats()) as Record<string, unknown>;
    expect(all[ctx.containers.get('app')!.runtimeId]).toMatchObject({ cpu_stats: { cpu_usage: { total_usage: 300 } }, precpu_stats: { cpu_usage: { total_usage: 100 } } });
    expect(all[ctx.containers.get('done')!.runtimeId]).toBeNull();
  });
});
