/**
 * The web console in a real Chromium against a real platform: signing in (and a wrong secret
 * refused), the walk cluster → service → task → logs over running tasks, scaling a service,
 * forcing a deployment, stopping a task, live tail, and screenshots of each page.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand, RunTaskCommand, type ContainerDefinition, type ECSClient } from '@aws-sdk/client-ecs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { NETWORK, waitForService } from '../services/service-fixture.js';
import { ensureTaskRole, startImageFixture, waitForTask, type ImageFixture } from '../tasks/task-fixture.js';
import { buildConsole, launchChromium, logIn, screenshot } from './browser.js';

// Container Insights samples every 2 s (not once a minute), so the service's AWS/ECS charts have points.
let platform: TestPlatform;
const env = { platform: () => platform, ecs: () => platform.ecs() };
const C = 'web-console';
const GROUP = '/ecs/console-ticker';
let ecs: ECSClient;
let logs: CloudWatchLogsClient;
let fixture: ImageFixture;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let td: string;
const requestUrls: string[] = [];
/** Script errors and console errors (a CSP violation is one) of the signed-in page. */
const pageErrors: string[] = [];

/** A Fargate definition whose containers log with awslogs (which needs an execution role). */
async function registerFargate(ecs: ECSClient, cluster: string, family: string, containerDefinitions: ContainerDefinition[]): Promise<string> {
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  // The execution role must exist and trust ECS tasks for a task to start, as on AWS.
  await ensureTaskRole(ecs, 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole');
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
      containerDefinitions,
    }),
  );
  return taskDefinition!.taskDefinitionArn!;
}

const awslogs = { logDriver: 'awslogs' as const, options: { 'awslogs-group': GROUP, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'app', 'awslogs-create-group': 'true' } };

beforeAll(async () => {
  platform = await startTestPlatform({}, { insightsIntervalMs: 2000 });
  const config = env.platform().config;
  ecs = env.ecs();
  logs = new CloudWatchLogsClient({ endpoint: env.platform().endpoint, region: 'us-east-1', credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } });
  [fixture] = await Promise.all([startImageFixture(), buildConsole()]);
  td = await registerFargate(ecs, C, 'console-ticker', [
    {
      name: 'app',
      image: fixture.image,
      command: ['sh', '-c', 'trap "exit 0" TERM; i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 1; done'],
      logConfiguration: awslogs,
    },
  ]);
  await ecs.send(new CreateServiceCommand({ cluster: C, serviceName: 'ticker', taskDefinition: td, desiredCount: 2, launchType: 'FARGATE', networkConfiguration: NETWORK }));
  await waitForService(ecs, C, 'ticker', (s) => s.runningCount === 2);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Tokyo' });
  page = await context.newPage();
  page.on('request', (r) => requestUrls.push(r.url()));
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  logs?.destroy();
  await fixture?.stop();
  ecs?.destroy();
  await platform?.dispose();
});

const credentials = () => ({ accessKeyId: env.platform().config.accessKeyId, secretAccessKey: env.platform().config.secretAccessKey });

describe('the web console', () => {
  it('refuses a wrong secret key at the signature check and keeps nothing', async () => {
    const wrong = await context.newPage();
    await logIn(wrong, env.platform().endpoint, { ...credentials(), secretAccessKey: 'not-the-secret' });
    await expect.poll(() => wrong.getByRole('alert').textContent()).toContain('SignatureDoesNotMatch');
    expect(await wrong.evaluate('sessionStorage.length')).toBe(0);
    await screenshot(wrong, 'login-refused');
    await wrong.close();
  });

  it('serves the console only as a page: its data needs signed calls', async () => {
    const res = await fetch(`${env.platform().endpoint}/console/clusters/${C}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).toContain('<div id="app">');
    expect(html).not.toContain(C);
    const unsigned = await fetch(`${env.platform().endpoint}/`, { method: 'POST', headers: { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(unsigned.status).toBe(403);
  });

  it('signs in and walks cluster → service → task → logs over running tasks', async () => {
    await logIn(page, env.platform().endpoint, credentials());
    const clusterLink = page.getByRole('link', { name: C, exact: true });
    await clusterLink.waitFor();
    await screenshot(page, 'clusters');
    await clusterLink.click();
    expect(new URL(page.url()).pathname).toBe(`/console/clusters/${C}`);
    await expect.poll(() => page.getByTestId('cluster-running').textContent()).toBe('2');
    await page.getByRole('link', { name: 'ticker', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe(`/console/clusters/${C}/services/ticker`);
    await expect.poll(() => page.getByTestId('running-count').textContent()).toBe('2');
    await page.getByText('COMPLETED').first().waitFor();
    await screenshot(page, 'service');
    const taskLink = page.getByTestId('tasks-table').getByRole('link').first();
    await taskLink.click();
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/console/clusters/${C}/tasks/[0-9a-f]{32}$`));
    await expect.poll(() => page.getByTestId('task-last-status').textContent()).toBe('RUNNING');
    await screenshot(page, 'task');
    // The back button returns to the service, and forward to the task again.
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe(`/console/clusters/${C}/services/ticker`);
    await page.getByTestId('running-count').waitFor();
    await page.goForward();
    await page.getByRole('link', { name: new RegExp(`${GROUP} / app/app/`) }).click();
    expect(new URL(page.url()).pathname).toBe(`/console/logs/${encodeURIComponent(GROUP)}`);
    await expect.poll(() => page.getByTestId('log-lines').textContent(), { timeout: 15_000 }).toMatch(/tick \d+/);
    await screenshot(page, 'logs');
    // A reload lands on the same view (deep link), still signed in (session storage).
    await page.reload();
    await expect.poll(() => page.getByTestId('log-lines').textContent(), { timeout: 15_000 }).toMatch(/tick \d+/);
  });

  it('filters events with a filter pattern', async () => {
    await page.getByLabel('Filter pattern').fill('"tick 1"');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByTestId('log-lines').textContent()).toMatch(/tick 1/);
    const lines = await page.getByTestId('log-lines').locator('div').allTextContents();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain('tick 1');
    expect(new URL(page.url()).searchParams.get('filter')).toBe('"tick 1"');
    // Download saves exactly the events shown, one line each: UTC time, stream, message.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    const saved = readFileSync(await download.path(), 'utf8').trimEnd().split('\n');
    expect(saved).toHaveLength(lines.length);
    for (const line of saved) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tapp\/app\/[0-9a-f]{32}\ttick 1\d*$/);
  });

  it('live tail shows a line a task just printed within 2 s of it being stored', async () => {
    await page.goto(`${env.platform().endpoint}/console/logs/${encodeURIComponent(GROUP)}?tail=1`);
    await page.getByText('Live tail: polling').waitFor();
    const marker = `marker-${randomUUID()}`;
    await ecs.send(
      new RunTaskCommand({
        cluster: C,
        taskDefinition: (await registerFargate(ecs, C, 'console-marker', [{ name: 'once', image: fixture.image, command: ['sh', '-c', `echo ${marker}; sleep 1`], logConfiguration: awslogs }])),
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    const storedAt = (async () => {
      for (;;) {
        const out = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: `"${marker}"` }));
        if (out.events?.length) return Date.now();
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const shownAt = page
      .getByTestId('log-lines')
      .getByText(marker)
      .waitFor({ timeout: 60_000 })
      .then(() => Date.now());
    const [stored, shown] = await Promise.all([storedAt, shownAt]);
    expect(shown - stored).toBeLessThanOrEqual(2000);
    await screenshot(page, 'logs-tail');
  });

  it('scales the service and the counts follow', async () => {
    await page.goto(`${env.platform().endpoint}/console/clusters/${C}/services/ticker`);
    // The utilization charts plot the AWS/ECS metrics the platform published for the service.
    await expect.poll(() => page.locator('figure.chart figcaption').first().textContent(), { timeout: 10_000 }).toMatch(/CPU utilization.*latest: CPUUtilization \d+\.\d%/);
    expect(await page.locator('figure.chart polyline').first().getAttribute('points')).toMatch(/^\d/);
    await page.getByRole('button', { name: 'Update desired count' }).click();
    await page.getByLabel(/Desired count/).fill('3');
    await page.getByRole('button', { name: 'Update service' }).click();
    await expect.poll(() => page.getByTestId('desired-count').textContent()).toBe('3');
    await expect.poll(() => page.getByTestId('running-count').textContent(), { timeout: 60_000 }).toBe('3');
    await screenshot(page, 'service-scaled');
    await waitForService(ecs, C, 'ticker', (s) => s.runningCount === 3 && s.desiredCount === 3);
  });

  it('forces a new deployment through UpdateService', async () => {
    await page.getByRole('button', { name: 'Force new deployment' }).click();
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    const s = await waitForService(ecs, C, 'ticker', (x) => (x.deployments ?? []).length >= 2 || (x.events ?? []).some((e) => e.message?.includes('started')), 30_000);
    expect((s.deployments ?? []).some((d) => d.status === 'PRIMARY' && d.taskDefinition === td)).toBe(true);
    await waitForService(ecs, C, 'ticker', (x) => x.deployments?.length === 1 && x.runningCount === 3, 120_000);
  });

  it('stops a task after confirmation', async () => {
    await page.goto(`${env.platform().endpoint}/console/clusters/${C}/services/ticker`);
    await page.getByTestId('tasks-table').getByRole('link').first().click();
    await expect.poll(() => page.getByTestId('task-last-status').textContent()).toBe('RUNNING');
    const taskId = new URL(page.url()).pathname.split('/').at(-1)!;
    await page.getByRole('button', { name: 'Stop task' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stop task' }).click();
    const stopped = await waitForTask(ecs, C, taskId, (t) => t.lastStatus === 'STOPPED', 60_000);
    expect(stopped.stoppedReason).toBe('Stopped from the minato console');
    expect(stopped.containers?.[0]?.exitCode, JSON.stringify(stopped.containers)).toBe(0);
    await expect.poll(() => page.getByTestId('stopped-reason').textContent(), { timeout: 15_000 }).toContain('Stopped from the minato console');
    await expect.poll(() => page.getByTestId('exit-app').textContent(), { timeout: 15_000 }).toBe('0');
    await screenshot(page, 'task-stopped');
  });

  it('raised no script error and broke no content security rule', () => {
    expect(pageErrors).toEqual([]);
  });

  it('never put a credential into a URL', () => {
    const { accessKeyId, secretAccessKey } = credentials();
    expect(requestUrls.length).toBeGreaterThan(10);
    for (const url of requestUrls) {
      expect(url).not.toContain(secretAccessKey);
      expect(url).not.toContain(accessKeyId);
    }
  });
});
