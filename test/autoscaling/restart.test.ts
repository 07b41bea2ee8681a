import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationAutoScalingClient, DescribeScalingActivitiesCommand, DescribeScheduledActionsCommand, PutScheduledActionCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { describeService, waitForService } from '../services/service-fixture.js';
import { defaultSubnets } from '../support/default-vpc.js';

const dataDir = mkdtempSync(join(tmpdir(), 'minato-aas-restart-'));
const n = 1 + Math.floor(Math.random() * 250);
const network = { dataDir, taskBridge: `mna${process.pid % 10000}x${n}`, taskSubnet: `10.215.${n}.0/24` };
const REF = { ServiceNamespace: 'ecs' as const, ResourceId: 'service/night/web', ScalableDimension: 'ecs:service:DesiredCount' as const };
let platform: TestPlatform | undefined;

const client = (p: TestPlatform) =>
  new ApplicationAutoScalingClient({ endpoint: p.endpoint, region: 'us-east-1', credentials: { accessKeyId: p.config.accessKeyId, secretAccessKey: p.config.secretAccessKey }, maxAttempts: 1 });

afterAll(async () => {
  await platform?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

it('runs a scheduled action that fell due while the platform was stopped once, when it starts again', async () => {
  platform = await startTestPlatform(network, { autoscalingTickMs: 200 });
  const ecs = platform.ecs();
  await ecs.send(new CreateClusterCommand({ clusterName: 'night' }));
  // Larger than this host: the desired count moves, no task is ever placed.
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({ family: 'huge', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '16384', memory: '122880', containerDefinitions: [{ name: 'app', image: 'busybox' }] }),
  );
  await ecs.send(new CreateServiceCommand({ cluster: 'night', serviceName: 'web', taskDefinition: taskDefinition!.taskDefinitionArn!, desiredCount: 0, launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: defaultSubnets() } } }));
  let aas = client(platform);
  await aas.send(new RegisterScalableTargetCommand({ ...REF, MinCapacity: 0, MaxCapacity: 3 }));
  const due = new Date(Date.now() + 3000);
  await aas.send(new PutScheduledActionCommand({ ...REF, ScheduledActionName: 'wake', Schedule: `at(${due.toISOString().slice(0, 19)})`, ScalableTargetAction: { MinCapacity: 1 } }));
  aas.destroy();
  ecs.destroy();
  await platform.dispose();
  platform = undefined;

  // Stopped past the due time.
  await new Promise((r) => setTimeout(r, due.getTime() - Date.now() + 1500));
  platform = await startTestPlatform(network, { autoscalingTickMs: 200 });
  const ecs2 = platform.ecs();
  aas = client(platform);
  try {
    await waitForService(ecs2, 'night', 'web', (s) => s.desiredCount === 1, 10_000);
    // Several more ticks: nothing runs again.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await describeService(ecs2, 'night', 'web')).desiredCount).toBe(1);
    const { ScalingActivities } = await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs' }));
    expect(ScalingActivities!.map((a) => a.Description)).toEqual(['Setting desired count to 1.', 'Setting min capacity to 1 and max capacity to 3']);
    expect(ScalingActivities!.every((a) => a.StatusCode === 'Successful')).toBe(true);
    expect((await aas.send(new DescribeScheduledActionsCommand({ ServiceNamespace: 'ecs' }))).ScheduledActions!.map((a) => a.ScheduledActionName)).toEqual(['wake']);
  } finally {
    aas.destroy();
    ecs2.destroy();
  }
}, 60_000);
