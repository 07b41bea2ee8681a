/**
 * Benchmark of the scaling loop's reaction time (as root, after `npx tsc -p tsconfig.build.json`),
 * on a `minato up` process with its default schedules (utilization readings once a minute, alarm
 * rounds every 10 s) and a service of real busybox tasks:
 *
 * - `node --import tsx bench/scaling.ts step` — a step scaling policy on a 10-second alarm over a
 *   high-resolution metric (StorageResolution 1) that the benchmark publishes every second; the
 *   load step is the published value jumping from 10 to 90 (threshold 50). Measured: from the first
 *   high datum to the scaling activity's start (the decision). BENCH_RUNS trials (default 5),
 *   median; target ≤ 30 s.
 * - `node --import tsx bench/scaling.ts cpu` — a CPU target tracking policy (target 50 %, AWS's
 *   alarm of 3 of 3 one-minute datapoints) over AWS/ECS CPUUtilization measured from the task's
 *   cgroup; the task idles until the benchmark creates a file on its host volume, then burns its
 *   128-unit CFS quota. The step is taken once the high alarm is OK on idle data (so three hot
 *   minutes are needed, as on AWS), after a random wait of up to a minute: the step falls
 *   anywhere in the publishing minute. Measured: from the step to the scaling activity's start.
 *   BENCH_RUNS trials (default 3: each takes 4 to 6 minutes), median; target ≤ 200 s.
 *
 * Each trial's step is recorded with its phase (seconds into its minute, or into its 10-second
 * period for `step`), which decides whether the step's own period already breaches.
 *
 * Writes bench/results/scaling-<entry>-<time>.json; exits 1 when the run is invalid (no scale-out
 * within the bound, or leftovers had to be removed).
 */
import { ApplicationAutoScalingClient, DescribeScalingActivitiesCommand, PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateClusterCommand, CreateServiceCommand, DeleteServiceCommand, DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeHostFirewall } from '../src/agent/network/host-firewall.js';
import { DEFAULT_NETWORK } from '../test/support/default-vpc.js';
import { startImageFixture, type ImageFixture } from '../test/tasks/task-fixture.js';
import { deleteLink, linkExists } from './lib/host-state.js';
import { freshDataDir, killStragglers, removeDir, startServer, type RunningServer } from './lib/server.js';
import { median, round } from './lib/stats.js';
import { sweepLeftovers } from './lib/task-leftovers.js';
import { machineInfo, target, targetLines, writeResults } from './lib/task-report.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ENTRY = process.argv[2] ?? 'step';
if (ENTRY !== 'step' && ENTRY !== 'cpu') throw new Error(`unknown entry ${ENTRY}: step or cpu`);
const RUNS = Number(process.env.BENCH_RUNS ?? (ENTRY === 'cpu' ? 3 : 5));
const BRIDGE = 'mnbench7';
const SUBNET = '10.219.0.0/24';
const CLUSTER = 'bench-scaling';
const SERVICE = 'web';
const RESOURCE = `service/${CLUSTER}/${SERVICE}`;
const REF = { ServiceNamespace: 'ecs' as const, ResourceId: RESOURCE, ScalableDimension: 'ecs:service:DesiredCount' as const };
/** A trial that has not scaled out by then is a failed run. */
const BOUND_MS = ENTRY === 'cpu' ? 420_000 : 90_000;

/** Each trial: the seconds from step to decision, and where in its period the step fell. */
const trials: Array<{ seconds: number; phaseSeconds: number }> = [];

const made: { server?: RunningServer; dataDir?: string; fixture?: ImageFixture; control?: string; problems: string[] } = { problems: [] };

interface Clients {
  ecs: ECSClient;
  aas: ApplicationAutoScalingClient;
  cw: CloudWatchClient;
}

async function serviceCounts(c: Clients): Promise<{ desired: number; running: number }> {
  const { services } = await c.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
  return { desired: services?.[0]?.desiredCount ?? -1, running: services?.[0]?.runningCount ?? -1 };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

const alarmState = async (c: Clients, name: string) => (await c.cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0]?.StateValue;

/** The start time of the first successful activity that set the desired count to 2 after `since`. */
async function scaleOutDecision(c: Clients, since: number): Promise<number | undefined> {
  const { ScalingActivities = [] } = await c.aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'ecs', ResourceId: RESOURCE }));
  const hit = ScalingActivities.filter((a) => a.Description === 'Setting desired count to 2.' && a.StartTime && a.StartTime.getTime() >= since - 1000).at(-1);
  return hit?.StartTime?.getTime();
}

/** Back to one task, and the alarm back to OK, before the next trial. */
async function reset(c: Clients, alarm: string, timeoutMs: number): Promise<void> {
  await waitFor('the alarm to be OK', async () => ((await alarmState(c, alarm)) === 'OK' ? true : undefined), timeoutMs);
  await c.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 1 }));
  await waitFor('one running task', async () => {
    const s = await serviceCounts(c);
    return s.desired === 1 && s.running === 1 ? true : undefined;
  }, 120_000);
}

async function setUp(port: number, command: string): Promise<Clients> {
  const endpoint = `http://127.0.0.1:${port}`;
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const c = { ecs: new ECSClient(config), aas: new ApplicationAutoScalingClient(config), cw: new CloudWatchClient(config) };
  await c.ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  const { taskDefinition } = await c.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'bench-scaling',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['EC2'],
      cpu: '128',
      memory: '128',
      volumes: [{ name: 'control', host: { sourcePath: made.control! } }],
      containerDefinitions: [{ name: 'app', image: made.fixture!.image, mountPoints: [{ sourceVolume: 'control', containerPath: '/control' }], command: ['sh', '-c', command] }],
    }),
  );
  await c.ecs.send(
    new CreateServiceCommand({
      cluster: CLUSTER,
      serviceName: SERVICE,
      taskDefinition: taskDefinition!.taskDefinitionArn!,
      desiredCount: 1,
      launchType: 'EC2',
      networkConfiguration: DEFAULT_NETWORK,
    }),
  );
  await waitFor('the first task', async () => ((await serviceCounts(c)).running === 1 ? true : undefined), 120_000);
  await c.aas.send(new RegisterScalableTargetCommand({ ...REF, MinCapacity: 1, MaxCapacity: 2 }));
  return c;
}

/** Step policy on a 10-second alarm over a high-resolution metric the benchmark publishes every second. */
async function stepTrials(c: Clients): Promise<number[]> {
  const policy = await c.aas.send(
    new PutScalingPolicyCommand({
      ...REF,
      PolicyName: 'queue',
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', Cooldown: 0, MetricAggregationType: 'Average', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] },
    }),
  );
  await c.cw.send(
    new PutMetricAlarmCommand({
      AlarmName: 'queue-depth',
      Namespace: 'Bench',
      MetricName: 'QueueDepth',
      Statistic: 'Average',
      Period: 10,
      EvaluationPeriods: 1,
      Threshold: 50,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [policy.PolicyARN!],
    }),
  );
  let value = 10;
  let stepAt = 0;
  let publishing = true;
  const publisher = (async () => {
    while (publishing) {
      const at = Date.now();
      await c.cw.send(new PutMetricDataCommand({ Namespace: 'Bench', MetricData: [{ MetricName: 'QueueDepth', Value: value, StorageResolution: 1, Timestamp: new Date(at) }] }));
      if (value === 90 && stepAt === 0) stepAt = at;
      await sleep(Math.max(0, 1000 - (Date.now() - at)));
    }
  })();
  const seconds: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      await reset(c, 'queue-depth', 60_000);
      // A random phase against the 10-second grid, as a real step has.
      await sleep(Math.floor(Math.random() * 10_000));
      stepAt = 0;
      value = 90;
      const decided = await waitFor('the scale-out', async () => (stepAt === 0 ? undefined : scaleOutDecision(c, stepAt)), BOUND_MS);
      seconds.push(round((decided - stepAt) / 1000, 1));
      trials.push({ seconds: seconds.at(-1)!, phaseSeconds: round((stepAt % 10_000) / 1000, 1) });
      process.stdout.write(`  step trial ${run + 1}: ${seconds.at(-1)} s\n`);
      value = 10;
    }
  } finally {
    publishing = false;
    await publisher;
  }
  return seconds;
}

/** CPU target tracking over AWS/ECS CPUUtilization from the task's cgroup, with the platform's default schedules. */
async function cpuTrials(c: Clients): Promise<number[]> {
  const policy = await c.aas.send(
    new PutScalingPolicyCommand({
      ...REF,
      PolicyName: 'cpu50',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, ScaleOutCooldown: 0, DisableScaleIn: true },
    }),
  );
  const high = policy.Alarms![0]!.AlarmName!;
  const seconds: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    rmSync(join(made.control!, 'burn'), { force: true });
    // Idle data first: the alarm is OK once a minute of idle readings has been judged.
    await reset(c, high, 240_000);
    // The alarm turns OK just after a minute's end: without a random wait every step would fall there.
    await sleep(Math.floor(Math.random() * 60_000));
    const stepAt = Date.now();
    writeFileSync(join(made.control!, 'burn'), '');
    const decided = await waitFor('the scale-out', () => scaleOutDecision(c, stepAt), BOUND_MS);
    seconds.push(round((decided - stepAt) / 1000, 1));
    trials.push({ seconds: seconds.at(-1)!, phaseSeconds: round((stepAt % 60_000) / 1000, 1) });
    process.stdout.write(`  cpu trial ${run + 1}: ${seconds.at(-1)} s\n`);
  }
  rmSync(join(made.control!, 'burn'), { force: true });
  return seconds;
}

async function cleanUp(c: Clients | undefined): Promise<void> {
  if (c) {
    await c.ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: SERVICE, force: true })).catch(() => undefined);
    // Every task of the service STOPPED (not only told to stop) before the server goes.
    await waitFor('the tasks to stop', async () => {
      const arns: string[] = [];
      for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) arns.push(...((await c.ecs.send(new ListTasksCommand({ cluster: CLUSTER, desiredStatus }))).taskArns ?? []));
      if (arns.length === 0) return true;
      const { tasks = [] } = await c.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }));
      return tasks.every((t) => t.lastStatus === 'STOPPED') ? true : undefined;
    }, 90_000).catch((err: unknown) => made.problems.push(String(err)));
    c.ecs.destroy();
    c.aas.destroy();
    c.cw.destroy();
  }
  const server = made.server;
  made.server = undefined;
  if (server) {
    const code = await server.stop();
    if (code !== 0) made.problems.push(`minato exited with code ${code}`);
  }
  if (made.dataDir) {
    const left = await sweepLeftovers(made.dataDir, []);
    if (left.length > 0) made.problems.push(`left behind and removed: ${left.join(', ')}`);
    await removeDir(made.dataDir);
  }
  await made.fixture?.stop();
  if (made.control) rmSync(made.control, { recursive: true, force: true });
  await removeHostFirewall(BRIDGE).catch(() => undefined);
  await deleteLink(BRIDGE).catch(() => undefined);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root: tasks are real containers');
  if (await linkExists(BRIDGE)) throw new Error(`link ${BRIDGE} exists (another run, or a leftover): delete it first with ip link del ${BRIDGE}`);
  const startedAt = new Date().toISOString();
  const loadavgBefore = os.loadavg().map((n) => round(n, 2));
  made.fixture = await startImageFixture();
  made.control = mkdtempSync(join(tmpdir(), 'minato-bench-control-'));
  made.dataDir = await freshDataDir();
  process.env.MINATO_TASK_BRIDGE = BRIDGE;
  process.env.MINATO_TASK_SUBNET = SUBNET;
  made.server = await startServer(made.dataDir);
  let c: Clients | undefined;
  let seconds: number[] = [];
  try {
    const command =
      ENTRY === 'cpu'
        ? 'trap "exit 0" TERM; while true; do if [ -e /control/burn ]; then while [ -e /control/burn ]; do :; done; else sleep 1; fi; done'
        : 'trap "exit 0" TERM; while true; do sleep 1; done';
    c = await setUp(made.server.port, command);
    seconds = ENTRY === 'cpu' ? await cpuTrials(c) : await stepTrials(c);
  } catch (err) {
    made.problems.push(err instanceof Error ? err.message : String(err));
  } finally {
    await cleanUp(c);
  }
  const med = seconds.length > 0 ? median(seconds) : undefined;
  const targets =
    ENTRY === 'cpu'
      ? [target('load step to the scale-out decision, CPU target tracking, 60-s metrics (median)', med, 's', '<=', 200)]
      : [target('load step to the scale-out decision, step policy on a 10-second alarm (median)', med, 's', '<=', 30)];
  const worst = seconds.length > 0 ? Math.max(...seconds) : undefined;
  const result = {
    name: `scaling-${ENTRY}`,
    startedAt,
    machine: machineInfo(),
    loadavgBefore,
    loadavgAfter: os.loadavg().map((n) => round(n, 2)),
    runs: RUNS,
    seconds,
    trials,
    medianSeconds: med,
    maxSeconds: worst,
    targets,
    problems: made.problems,
  };
  const file = await writeResults(result);
  console.log(targetLines(targets).join('\n'));
  console.log(`trials (s): ${seconds.join(', ')}; max ${worst ?? '-'}`);
  console.log(`loadavg ${result.loadavgBefore.join(' ')} -> ${result.loadavgAfter.join(' ')}`);
  console.log(`results: ${relative(process.cwd(), file)}`);
  if (made.problems.length > 0 || seconds.length < RUNS) {
    console.error(`invalid run: ${made.problems.join('; ')}`);
    process.exitCode = 1;
  }
}

process.once('SIGINT', () => {
  killStragglers();
  process.exit(130);
});
await main();
