/**
 * Budget benchmark of the web console (`node --import tsx bench/console.ts`), in Debian's headless
 * Chromium:
 *  - first load: the JavaScript the first page loads (every script response of a fresh load of
 *    /console/), gzip-compressed as a server would send it; budget 300 KB;
 *  - a service page with 1,000 tasks: from navigation to the tasks table showing its first page
 *    of the 1,000 (20 signed ListTasks/DescribeTasks calls through the real front door, SigV4 and
 *    model validation included, then the render); budget 500 ms, median of RUNS loads.
 * The ECS answers come from synthetic handlers over the real ECS model (1,000 running tasks held
 * in memory), so the figure is the console's own cost, not the scheduler's. Builds the console
 * first. Writes bench/results/console-<timestamp>.json. Exits 1 when a run is invalid.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { randomBytes } from 'node:crypto';
import { stsService } from '../src/api/sts/sts-service.js';
import { createIamDomain } from '../src/iam/iam-domain.js';
import { ValueCipher } from '../src/secrets/crypto/value-cipher.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { loadServiceModel } from '../src/aws-model/service-model.js';
import { CONSOLE_DIR, consoleRoutes } from '../src/server/console-route.js';
import { buildFrontDoor, DEFAULT_BODY_LIMIT } from '../src/server/http-server.js';
import type { AwsService, OperationHandler } from '../src/server/service.js';

const NAME = 'console';
const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');
const TASKS = 1000;
const RUNS = 5;
const ACCOUNT = '000000000000';
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench-secret' };
const CLUSTER = 'bench';
const SERVICE = 'web';
const clusterArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${CLUSTER}`;
const tdArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/web:3`;

/** In the page (a string, as the page has the DOM): click the Task header, resolve at the next frame painted sorted. */
const RESORT = `new Promise((resolve) => {
  const header = [...document.querySelectorAll('[data-testid="tasks-table"] th button')].find((b) => b.textContent.startsWith('Task'));
  const t0 = performance.now();
  header.click();
  const check = () => header.closest('th').getAttribute('aria-sort') === 'ascending' ? requestAnimationFrame(() => resolve(performance.now() - t0)) : requestAnimationFrame(check);
  check();
})`;

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** 1,000 running tasks of one service, as DescribeTasks shows them. */
function syntheticTasks(now: number) {
  return Array.from({ length: TASKS }, (_, i) => {
    const id = i.toString(16).padStart(32, '0');
    return {
      taskArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task/${CLUSTER}/${id}`,
      clusterArn,
      taskDefinitionArn: tdArn,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      healthStatus: i % 10 === 0 ? 'UNKNOWN' : 'HEALTHY',
      launchType: 'FARGATE',
      cpu: '256',
      memory: '512',
      group: `service:${SERVICE}`,
      startedBy: 'ecs-svc/1',
      createdAt: now / 1000 - i,
      startedAt: now / 1000 - i + 1,
      containers: [{ name: 'app', image: 'web:3', lastStatus: 'RUNNING', healthStatus: 'HEALTHY' }],
    };
  });
}

/** ECS over the real model, answering from memory: the calls the service page makes. */
function syntheticEcs(): AwsService {
  const now = Date.now();
  const tasks = syntheticTasks(now);
  const byArn = new Map(tasks.map((t) => [t.taskArn, t]));
  const handlers: Record<string, OperationHandler> = {
    DescribeServices: async () => ({
      services: [
        {
          serviceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/${CLUSTER}/${SERVICE}`,
          serviceName: SERVICE,
          clusterArn,
          status: 'ACTIVE',
          desiredCount: TASKS,
          runningCount: TASKS,
          pendingCount: 0,
          launchType: 'FARGATE',
          taskDefinition: tdArn,
          deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: tdArn, desiredCount: TASKS, runningCount: TASKS, pendingCount: 0, rolloutState: 'COMPLETED', createdAt: now / 1000 - 3600, updatedAt: now / 1000 }],
          events: Array.from({ length: 100 }, (_, i) => ({ id: `e${i}`, createdAt: now / 1000 - i * 60, message: `(service ${SERVICE}) has reached a steady state.` })),
          loadBalancers: [],
        },
      ],
      failures: [],
    }),
    ListTasks: async (input: { desiredStatus?: string; nextToken?: string; maxResults?: number }) => {
      if (input.desiredStatus === 'STOPPED') return { taskArns: [] };
      const start = Number(input.nextToken ?? 0);
      const size = input.maxResults ?? 100;
      const page = tasks.slice(start, start + size).map((t) => t.taskArn);
      return { taskArns: page, ...(start + size < tasks.length && { nextToken: String(start + size) }) };
    },
    DescribeTasks: async (input: { tasks: string[] }) => ({ tasks: input.tasks.map((arn) => byArn.get(arn)).filter(Boolean), failures: [] }),
  };
  return {
    signingName: 'ecs',
    model: loadServiceModel('ecs'),
    handlers,
    errorName: () => 'ServerException',
    constraintErrorName: 'InvalidParameterException',
    genericErrorNames: { client: 'ClientException', server: 'ServerException' },
  };
}

/** Application Auto Scaling and CloudWatch answering "nothing configured, no data points yet". */
function emptyService(signingName: string, model: string, handlers: Record<string, OperationHandler>): AwsService {
  return { signingName, model: loadServiceModel(model), handlers, errorName: () => 'InternalFailure', constraintErrorName: 'ValidationException', genericErrorNames: { client: 'ValidationException', server: 'InternalFailure' } };
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const loadavgBefore = os.loadavg().map((l) => Math.round(l * 100) / 100);
  await build({ configFile: fileURLToPath(new URL('../console/vite.config.ts', import.meta.url)), logLevel: 'error' });
  const app = buildFrontDoor({
    accountId: ACCOUNT,
    credentials: new Map([[CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey]]),
    services: [
      syntheticEcs(),
      stsService(createIamDomain(new MemoryStore(), new ValueCipher(randomBytes(32))).tokens),
      emptyService('application-autoscaling', 'application-autoscaling', { DescribeScalableTargets: async () => ({ ScalableTargets: [] }), DescribeScalingPolicies: async () => ({ ScalingPolicies: [] }) }),
      emptyService('monitoring', 'cloudwatch', { GetMetricData: async () => ({ MetricDataResults: [], Messages: [] }) }),
    ],
    routes: [consoleRoutes()],
    logger: pino({ level: 'silent' }),
    bodyLimit: DEFAULT_BODY_LIMIT,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const problems: string[] = [];
  try {
    // First load: every script the login page loads, gzipped.
    // The page's CSP forbids eval; the bench's own probes (waitForFunction) need it.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${endpoint}/console/`, { waitUntil: 'load' });
    await page.getByLabel('Access key ID').waitFor();
    const files = scripts.map((path) => {
      const raw = readFileSync(join(CONSOLE_DIR, path.replace(/^\/console\//, '')));
      return { path, bytes: raw.length, gzipBytes: gzipSync(raw).length };
    });
    const firstLoadGzipKB = Math.round((files.reduce((s, f) => s + f.gzipBytes, 0) / 1024) * 10) / 10;
    if (files.length === 0) problems.push('the first page loaded no script');

    // Sign in once (session storage keeps it for the tab), then load the service page RUNS times.
    await page.getByLabel('Access key ID').fill(CREDENTIALS.accessKeyId);
    await page.getByLabel('Secret access key').fill(CREDENTIALS.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Clusters' }).waitFor();
    const loads: number[] = [];
    const sorts: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.goto(`${endpoint}/console/clusters/${CLUSTER}/services/${SERVICE}`);
      await page.waitForFunction(`document.querySelector('[data-testid="tasks-count"]')?.textContent === '1–50 of ${TASKS}'`, undefined, { polling: 'raf', timeout: 30_000 });
      loads.push((await page.evaluate('performance.now()')) as number);
      const rows = await page.getByTestId('tasks-table').locator('tbody tr').count();
      if (rows !== 50) problems.push(`run ${run + 1}: ${rows} rows on the first page, expected 50`);
      // Re-sorting the 1,000 rows by a column: click to the next painted frame.
      const sortMs = (await page.evaluate(RESORT)) as number;
      sorts.push(sortMs);
    }
    await context.close();
    const serviceMs = Math.round(median(loads));
    const sortMs = Math.round(median(sorts) * 10) / 10;
    const targets = [
      { name: 'first load JavaScript (gzip)', value: firstLoadGzipKB, unit: 'KB', op: '<=', limit: 300, pass: firstLoadGzipKB <= 300 },
      { name: `service page with ${TASKS} tasks: navigation to table (median of ${RUNS})`, value: serviceMs, unit: 'ms', op: '<=', limit: 500, pass: serviceMs <= 500 },
    ];
    const result = {
      name: NAME,
      startedAt: startedAt.toISOString(),
      note: 'headless Chromium and the front door share this machine; ECS answers are synthetic (in memory) over the real model, SigV4 checked',
      valid: problems.length === 0,
      problems,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      loadavgBefore,
      loadavgAfter: os.loadavg().map((l) => Math.round(l * 100) / 100),
      firstLoad: { scripts: files, gzipKB: firstLoadGzipKB },
      servicePage: { tasks: TASKS, runsMs: loads.map(Math.round), medianMs: serviceMs, resortMs: sorts.map((s) => Math.round(s * 10) / 10), medianResortMs: sortMs },
      targets,
    };
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${NAME}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      [
        `loadavg ${loadavgBefore.join(' ')} -> ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`,
        `first load: ${files.map((f) => `${f.path} ${f.bytes} B (${f.gzipBytes} B gzip)`).join(', ')}`,
        `service page, ${TASKS} tasks: ${loads.map(Math.round).join(', ')} ms to the table; re-sort ${sorts.map((s) => s.toFixed(1)).join(', ')} ms`,
        'targets:',
        ...targets.map((t) => `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value} ${t.unit} (target ${t.op} ${t.limit})`),
        problems.length ? `INVALID RUN: ${problems.join('; ')}` : 'run valid',
        `results: ${relative(process.cwd(), file)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await browser.close();
    await app.close();
  }
  return problems.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
