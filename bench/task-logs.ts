/**
 * A chatty container's log lines through the whole awslogs path (`node --import tsx
 * bench/task-logs.ts`): a real task prints N numbered lines as fast as it can; conmon writes them
 * to the container's log file; the agent follows the file and appends them to CloudWatch Logs.
 * Measured: lines per second from the task's start to the moment every line is stored, and that
 * none is lost or duplicated (every number 1..N counted once). Writes
 * bench/results/task-logs-<timestamp>.json. BENCH_LOG_LINES sets N (default 500,000).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { CreateClusterCommand, DescribeTasksCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import { DEFAULT_CONFIG } from '../src/cli/config.js';
import { startPlatform } from '../src/cli/platform.js';
import { startDistributionRegistry } from '../test/support/distribution-registry.js';
import { buildImage, pushImageLayout } from '../test/support/oci-image.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');
const LINES = Math.min(Math.max(Number(process.env.BENCH_LOG_LINES ?? 500_000), 1000), 5_000_000);
const TARGET_LINES_PER_S = 50_000;
const BRIDGE = 'mnlogbench0';

async function main() {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'minato-bench-logs-'));
  const registry = await startDistributionRegistry();
  const platform = await startPlatform(
    { ...DEFAULT_CONFIG, port: 0, dataDir, taskBridge: BRIDGE, taskSubnet: '10.218.0.0/24' },
    pino({ level: 'silent' }),
    { metadataPort: 0 },
  );
  const ecs = new ECSClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    const built = await buildImage({ busybox: true });
    await pushImageLayout(built.dir, `${registry.host}/busybox:latest`);
    await built.cleanup();
    await ecs.send(new CreateClusterCommand({ clusterName: 'bench' }));
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'chatty',
        containerDefinitions: [
          {
            name: 'app',
            image: `${registry.host}/busybox:latest`,
            memory: 256,
            command: ['sh', '-c', `seq 1 ${LINES} | sed 's/^/line number /'`],
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/bench/chatty', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'b', 'awslogs-create-group': 'true' } },
          },
        ],
      }),
    );
    const started = Date.now();
    const run = await ecs.send(new RunTaskCommand({ cluster: 'bench', taskDefinition: taskDefinition!.taskDefinitionArn, launchType: 'EC2' }));
    const arn = run.tasks![0]!.taskArn!;
    const db = new Database(join(dataDir, 'logs.db'), { readonly: true });
    const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM log_events');
    let stored = 0;
    const deadline = Date.now() + 10 * 60_000;
    while (stored < LINES && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      stored = count.get()!.n;
    }
    const allStoredAt = Date.now();
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'bench', tasks: [arn] }));
    const task = tasks![0]!;
    // Every number exactly once: no line lost, none delivered twice.
    const distinct = db.prepare<[], { n: number }>("SELECT COUNT(DISTINCT message) AS n FROM log_events WHERE message LIKE 'line number %'").get()!.n;
    db.close();
    const containerStarted = task.startedAt?.getTime() ?? started;
    const seconds = (allStoredAt - containerStarted) / 1000;
    const result = {
      name: 'task-logs',
      startedAt: new Date(started).toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20), node: process.version },
      loadavg: os.loadavg(),
      lines: LINES,
      stored,
      distinct,
      exitCode: task.containers?.[0]?.exitCode,
      secondsToAllStored: seconds,
      linesPerSecond: Math.round(LINES / seconds),
      target: { linesPerSecond: TARGET_LINES_PER_S, pass: LINES / seconds >= TARGET_LINES_PER_S && distinct === LINES && stored === LINES },
    };
    await mkdir(RESULTS_DIR, { recursive: true });
    const stamp = result.startedAt.replace(/[:.]/g, '-');
    await writeFile(join(RESULTS_DIR, `task-logs-${stamp}.json`), JSON.stringify(result, null, 2));
    console.log(JSON.stringify(result, null, 2));
    if (stored !== LINES || distinct !== LINES) process.exitCode = 1;
  } finally {
    ecs.destroy();
    await platform.stopAllTasks();
    await platform.close();
    await registry.stop();
    try {
      execFileSync('ip', ['link', 'del', BRIDGE], { stdio: 'ignore' });
    } catch {
      // never created
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
