/**
 * The console's other pages in Chromium against a real platform: task definition revisions as a
 * diff (and deregistering one), repositories and images, secrets and parameters (a value only
 * after Reveal), the cost estimate, the dark theme and keyboard use.
 */
import { ApplicationAutoScalingClient, PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, RegisterContainerInstanceCommand, DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, pushImageLayout } from '../support/oci-image.js';
import { usePlatform } from '../support/platform.js';
import { NETWORK, waitForService } from '../services/service-fixture.js';
import { buildConsole, launchChromium, logIn, screenshot } from './browser.js';

const env = usePlatform();
const SECRET_VALUE = 'hunter2-console-secret';
const PARAMETER_VALUE = 'postgres://db.internal/app';
let ecs: ECSClient;
let browser: Browser;
let page: Page;
let endpoint: string;
let image: string;
let imageDigest: string;

async function register(family: string, mode: string, command: string): Promise<string> {
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
      containerDefinitions: [{ name: 'app', image, command: ['sh', '-c', command], environment: [{ name: 'MODE', value: mode }] }],
    }),
  );
  return taskDefinition!.taskDefinitionArn!;
}

beforeAll(async () => {
  const { config } = env.platform();
  endpoint = env.platform().endpoint;
  const credentials = { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey };
  ecs = env.ecs();
  const host = new URL(endpoint).host;
  const ecr = new ECRClient({ endpoint, region: 'us-east-1', credentials });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'console/app', imageScanningConfiguration: { scanOnPush: true } }));
  const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
  ecr.destroy();
  const [username, password] = Buffer.from(authorizationData![0]!.authorizationToken!, 'base64').toString().split(':') as [string, string];
  const [built] = await Promise.all([buildImage({ busybox: true, config: { Cmd: ['sh'], Env: ['PATH=/bin'] } }), buildConsole()]);
  const pushed = await pushImageLayout(built.dir, `${host}/console/app:v1`, { auth: { username, password } });
  imageDigest = pushed.digest;
  await built.cleanup();
  image = `${host}/console/app:v1`;

  await ecs.send(new CreateClusterCommand({ clusterName: 'pages', capacityProviders: ['FARGATE', 'FARGATE_SPOT'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 1 }] }));
  await ecs.send(
    new RegisterContainerInstanceCommand({
      cluster: 'pages',
      totalResources: [
        { name: 'CPU', type: 'INTEGER', integerValue: 2048 },
        { name: 'MEMORY', type: 'INTEGER', integerValue: 3904 },
      ],
      versionInfo: { agentVersion: '1.80.0' },
    }),
  );
  await register('web', 'short', 'trap "exit 0" TERM; while true; do sleep 1; done');
  const second = await register('web', 'long', 'trap "exit 0" TERM; echo started with a longer command; while true; do sleep 1; done');
  await ecs.send(new CreateServiceCommand({ cluster: 'pages', serviceName: 'web', taskDefinition: second, desiredCount: 2, launchType: 'FARGATE', networkConfiguration: NETWORK }));
  await waitForService(ecs, 'pages', 'web', (s) => s.runningCount === 2, 90_000);

  const aas = new ApplicationAutoScalingClient({ endpoint, region: 'us-east-1', credentials });
  const target = { ServiceNamespace: 'ecs' as const, ResourceId: 'service/pages/web', ScalableDimension: 'ecs:service:DesiredCount' as const };
  await aas.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 1, MaxCapacity: 4 }));
  await aas.send(
    new PutScalingPolicyCommand({
      ...target,
      PolicyName: 'cpu-at-60',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 60, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
    }),
  );
  aas.destroy();

  const sm = new SecretsManagerClient({ endpoint, region: 'us-east-1', credentials });
  await sm.send(new CreateSecretCommand({ Name: 'console/db-password', SecretString: SECRET_VALUE, Description: 'the database password' }));
  sm.destroy();
  const ssm = new SSMClient({ endpoint, region: 'us-east-1', credentials });
  await ssm.send(new PutParameterCommand({ Name: '/console/db-url', Value: PARAMETER_VALUE, Type: 'SecureString' }));
  ssm.destroy();

  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await logIn(page, endpoint, credentials, '/console/task-definitions');
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe('the console pages', () => {
  it('shows a cluster\'s capacity providers and its container instances\' used and registered CPU and memory', async () => {
    await page.goto(`${endpoint}/console/clusters/pages`);
    await expect.poll(() => page.locator('dl.facts').textContent()).toContain('FARGATE, FARGATE_SPOT (default: FARGATE w1 b1)');
    const instances = page.getByTestId('instances-table');
    await expect.poll(() => instances.textContent()).toContain('0 / 2048 units');
    expect(await instances.textContent()).toContain('0 / 3904 MiB');
    await screenshot(page, 'cluster');
    await page.goto(`${endpoint}/console/task-definitions`);
  });

  it('shows two revisions side by side with their differences, and deregisters one after confirmation', async () => {
    await page.getByRole('link', { name: 'web', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/console/task-definitions/web');
    await expect.poll(() => page.getByTestId('diff-summary').textContent()).toBe('2 changed lines.');
    const diff = page.getByRole('table', { name: 'Revision diff' });
    await expect.poll(() => diff.locator('.removed').allTextContents()).toEqual([expect.stringContaining('while true'), expect.stringContaining('"short"')]);
    await expect.poll(() => diff.locator('.added').allTextContents()).toEqual([expect.stringContaining('started with a longer command'), expect.stringContaining('"long"')]);
    await screenshot(page, 'task-definition-diff');
    await page.getByRole('button', { name: 'Deregister' }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deregister' }).click();
    await expect.poll(async () => (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1' }))).taskDefinition?.status).toBe('INACTIVE');
  });

  it('lists repositories and images with tags, digests and sizes, and an image\'s scan', async () => {
    await page.getByRole('link', { name: 'Repositories' }).click();
    await page.getByRole('link', { name: 'console/app' }).click();
    const images = page.getByTestId('images-table');
    await expect.poll(() => images.textContent()).toContain('v1');
    expect(await images.textContent()).toContain(imageDigest.slice(0, 19));
    expect(await images.textContent()).toMatch(/\d+(\.\d)? (KiB|MiB)/);
    await images.getByRole('button', { name: new RegExp(imageDigest.slice(0, 19).replace(':', '.')) }).click();
    await page.getByRole('heading', { name: /Scan findings/ }).waitFor();
    expect(new URL(page.url()).searchParams.get('digest')).toBe(imageDigest);
    await screenshot(page, 'repository');
  });

  it('lists secrets and parameters without their values until Reveal is pressed', async () => {
    const calls: string[] = [];
    page.on('request', (r) => {
      const target = r.headers()['x-amz-target'];
      if (target) calls.push(target);
    });
    await page.getByRole('link', { name: 'Secrets & parameters' }).click();
    await page.getByText('console/db-password').waitFor();
    await page.getByText('/console/db-url').waitFor();
    const html = await page.content();
    expect(html).not.toContain(SECRET_VALUE);
    expect(html).not.toContain(PARAMETER_VALUE);
    expect(calls.some((c) => c.endsWith('.GetSecretValue') || c.endsWith('.GetParameter'))).toBe(false);
    await screenshot(page, 'secrets');
    await page.getByRole('button', { name: 'Reveal console/db-password' }).click();
    await expect.poll(() => page.getByTestId('revealed-value').textContent()).toBe(SECRET_VALUE);
    expect(calls.filter((c) => c.endsWith('.GetSecretValue'))).toHaveLength(1);
    expect(page.url()).not.toContain(SECRET_VALUE);
    await page.getByRole('button', { name: 'Hide console/db-password' }).click();
    expect(await page.content()).not.toContain(SECRET_VALUE);
    await page.getByRole('button', { name: 'Reveal /console/db-url' }).click();
    await expect.poll(() => page.getByTestId('revealed-value').textContent()).toBe(PARAMETER_VALUE);
    expect(await page.evaluate('JSON.stringify(sessionStorage) + JSON.stringify(localStorage)')).not.toContain(PARAMETER_VALUE);
  });

  it('estimates the monthly cost of the running services from the Fargate prices', async () => {
    await page.getByRole('link', { name: 'Cost' }).click();
    // 2 tasks of 0.5 vCPU / 1 GB in us-east-1: (0.5 × 0.04048 + 1 × 0.004445) × 2 × 730 h.
    await expect.poll(() => page.getByTestId('cost-total').textContent()).toBe(`$${((0.5 * 0.04048 + 0.004445) * 2 * 730).toFixed(2)}`);
    await screenshot(page, 'cost');
  });

  it('has a dark theme and is usable from the keyboard', async () => {
    await page.getByLabel('Theme').selectOption('dark');
    await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await page.goto(`${endpoint}/console/clusters/pages/services/web`);
    await page.getByTestId('running-count').waitFor();
    // The scaling section: the target's bounds, the policy, and the alarms target tracking made.
    await page.getByText('Between 1 and 4 tasks.').waitFor();
    const scaling = await page.locator('section').textContent();
    expect(scaling).toContain('cpu-at-60 (TargetTrackingScaling) · target 60 ECSServiceAverageCPUUtilization');
    expect(scaling).toMatch(/TargetTracking-service\/pages\/web-AlarmHigh-/);
    await screenshot(page, 'service-dark');
    // Tab to the first action and open its dialog with Enter; Escape closes it.
    await page.getByRole('button', { name: 'Update desired count' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    expect(await page.evaluate('document.activeElement?.closest("dialog") !== null')).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    // Sorting by keyboard: the column header is a button.
    await page.getByTestId('tasks-table').getByRole('button', { name: 'Last status' }).press('Enter');
    expect(new URL(page.url()).searchParams.get('tasks.sort')).toBe('last');
  });

  it('sends the user back to sign in when the endpoint refuses the kept credentials', async () => {
    await page.evaluate(`(() => {
      const key = 'minato.console.credentials';
      const kept = JSON.parse(sessionStorage.getItem(key));
      sessionStorage.setItem(key, JSON.stringify({ ...kept, secretAccessKey: 'changed-since' }));
    })()`);
    await page.goto(`${endpoint}/console/clusters`);
    await page.getByText(/The endpoint refused the credentials \((InvalidSignatureException|SignatureDoesNotMatch)\)/).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.getByLabel('Secret access key').waitFor();
    await screenshot(page, 'signed-out');
  });
});
