/**
 * Benchmark of alarm evaluation (`node --import tsx bench/alarms.ts`): 10,000 metric alarms
 * (BENCH_ALARMS) on as many metrics of a metrics.db on disk (WAL, as `minato up` keeps it), each
 * metric with a datum per minute for the last 15 minutes, plus one composite alarm per 100.
 * The alarms mix what PutMetricAlarm takes: Average and Maximum over 1 to 5 periods, 3-of-5
 * (M of N), p90 over raw values, and metric math (two metrics and an expression) for 1 in 20;
 * missing data treatments vary. A minute's schedule is one round over all of them, so the CPU of
 * a round (user + system, process.cpuUsage) is the CPU evaluation costs per minute: target ≤ 1 s.
 * Each round is checked: every alarm evaluated, and the first round moves every alarm (composites
 * too) out of INSUFFICIENT_DATA, so a fast wrong answer fails the run. Writes
 * bench/results/alarms-<timestamp>.json and alarms-latest.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { PutMetricAlarmRequest } from '../src/metrics/alarms/alarm-input.js';
import { AlarmService } from '../src/metrics/alarms/alarm-service.js';
import { openMetricService } from '../src/metrics/metric-service.js';
import { round } from './lib/stats.js';
import { machineInfo, target, targetLines, writeResults } from './lib/task-report.js';

const ALARMS = Number(process.env.BENCH_ALARMS ?? 10_000);
const ROUNDS = 5;
const MIN = 60_000;
const TARGET_CPU_SECONDS = 1;

const scope = (now: number) => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date(now) });
const dims = (i: number) => [{ Name: 'ServiceName', Value: `svc-${i}` }];

function alarmOf(i: number): PutMetricAlarmRequest {
  const common = { AlarmName: `alarm-${String(i).padStart(5, '0')}`, Threshold: 50, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: ['arn:aws:sns:us-east-1:000000000000:ops'] };
  const treat = ['missing', 'ignore', 'breaching', 'notBreaching'][i % 4]!;
  if (i % 20 === 0) {
    return {
      ...common,
      EvaluationPeriods: 2,
      TreatMissingData: treat,
      Metrics: [
        { Id: 'a', MetricStat: { Metric: { Namespace: 'Bench', MetricName: 'Load', Dimensions: dims(i) }, Period: 60, Stat: 'Average' }, ReturnData: false },
        { Id: 'b', MetricStat: { Metric: { Namespace: 'Bench', MetricName: 'Load', Dimensions: dims(i + 1) }, Period: 60, Stat: 'Average' }, ReturnData: false },
        { Id: 'e', Expression: '(a + b) / 2' },
      ],
    };
  }
  const single = { ...common, Namespace: 'Bench', MetricName: 'Load', Dimensions: dims(i), Period: 60, TreatMissingData: treat };
  if (i % 10 === 1) return { ...single, ExtendedStatistic: 'p90', EvaluationPeriods: 3 };
  if (i % 5 === 2) return { ...single, Statistic: 'Maximum', EvaluationPeriods: 5, DatapointsToAlarm: 3 };
  return { ...single, Statistic: 'Average', EvaluationPeriods: 1 + (i % 5) };
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const dir = mkdtempSync(join(tmpdir(), 'minato-bench-alarms-'));
  const metrics = openMetricService(join(dir, 'metrics.db'));
  try {
    const alarms = new AlarmService(metrics);
    const now = Date.now();
    const base = Math.floor(now / MIN) * MIN - 15 * MIN;
    const loadStart = process.hrtime.bigint();
    for (let minute = 0; minute < 15; minute++) {
      for (let from = 0; from < ALARMS; from += 1000) {
        const data = [];
        for (let i = from; i < Math.min(ALARMS, from + 1000); i++) {
          // Raw values (so percentiles exist); a third of the metrics run hot.
          const hot = i % 3 === 0 ? 40 : 0;
          data.push({ MetricName: 'Load', Dimensions: dims(i), Timestamp: (base + minute * MIN + 1000) / 1000, Values: [10 + hot, 30 + hot, 45 + hot], Counts: [5, 3, 2] });
        }
        await metrics.put(scope(now), { Namespace: 'Bench', MetricData: data });
      }
    }
    for (let i = 0; i < ALARMS; i++) await alarms.putMetricAlarm(scope(now), alarmOf(i));
    for (let c = 0; c < ALARMS / 100; c++) {
      const child = (k: number) => `alarm-${String(c * 100 + k).padStart(5, '0')}`;
      await alarms.putCompositeAlarm(scope(now), { AlarmName: `composite-${c}`, AlarmRule: `ALARM("${child(0)}") OR (ALARM("${child(3)}") AND NOT OK("${child(6)}"))` });
    }
    const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;

    const rounds: Array<{ cpuSeconds: number; wallSeconds: number; evaluated: number; changes: number }> = [];
    const problems: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const cpu = process.cpuUsage();
      const wall = process.hrtime.bigint();
      // Every round at the same time: the first moves the alarms out of INSUFFICIENT_DATA (state
      // changes, history, actions), the next ones are the steady state of a minute with no change.
      const { evaluated, changes } = await alarms.evaluate(new Date(now + r * 1000));
      const used = process.cpuUsage(cpu);
      rounds.push({ cpuSeconds: round((used.user + used.system) / 1e6, 3), wallSeconds: round(Number(process.hrtime.bigint() - wall) / 1e9, 3), evaluated, changes: changes.length });
      if (evaluated !== ALARMS) problems.push(`round ${r}: ${evaluated} of ${ALARMS} alarms evaluated`);
      if (r === 0) {
        const stuck = (await alarms.list(scope(now))).filter((a) => a.state.value === 'INSUFFICIENT_DATA').length;
        if (stuck > 0) problems.push(`${stuck} alarms with data stayed INSUFFICIENT_DATA`);
      }
    }
    // The five 10-second rounds of a minute read only sub-minute alarms (none here).
    const tickCpu = process.cpuUsage();
    for (let t = 1; t <= 5; t++) await alarms.evaluate(new Date(now + t * 10_000), { subMinuteOnly: true });
    const ticks = process.cpuUsage(tickCpu);
    const ticksSeconds = round((ticks.user + ticks.system) / 1e6, 3);
    const cpus = rounds.map((r) => r.cpuSeconds).sort((a, b) => a - b);
    const median = cpus[Math.floor(cpus.length / 2)]!;
    const perMinute = round(median + ticksSeconds, 3);
    const targets = [target('CPU of a minute of evaluation (one full round, median, and five 10-second rounds)', perMinute, 's', '<=', TARGET_CPU_SECONDS)];
    const result = {
      name: 'alarms',
      startedAt,
      machine: machineInfo(),
      alarms: ALARMS,
      composites: ALARMS / 100,
      loadSeconds: round(loadSeconds, 1),
      rounds,
      medianCpuSeconds: median,
      subMinuteRoundsCpuSeconds: ticksSeconds,
      cpuPerMinuteSeconds: perMinute,
      maxCpuSeconds: cpus[cpus.length - 1],
      targets,
      problems,
    };
    const file = await writeResults(result);
    console.log(`alarm evaluation: ${ALARMS} alarms, full rounds of ${rounds.map((r) => r.cpuSeconds).join(', ')} s CPU (median ${median} s), five 10-second rounds ${ticksSeconds} s`);
    console.log(targetLines(targets).join('\n'));
    console.log(`results: ${relative(process.cwd(), file)}`);
    if (problems.length > 0) {
      console.error(`invalid run: ${problems.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await metrics.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
