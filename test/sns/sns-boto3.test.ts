import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { TestEndpoint, verifySnsMessage } from './sns-fixture.js';

const run = promisify(execFile);
const SCENARIO = join(import.meta.dirname, 'sns_scenario.py');
const home = mkdtempSync(join(tmpdir(), 'minato-sns-boto3-'));
let platform: TestPlatform | undefined;
let endpoint: TestEndpoint;

async function scenario(...args: string[]): Promise<Record<string, unknown>> {
  const env = { PATH: process.env.PATH, HOME: home, AWS_CONFIG_FILE: join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'none') };
  const { stdout } = await run('python3', [SCENARIO, platform!.endpoint, ...args], { env });
  return JSON.parse(stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  endpoint = await new TestEndpoint().start();
  platform = await startTestPlatform();
}, 60_000);

afterAll(async () => {
  await platform?.dispose();
  await endpoint.close();
  rmSync(home, { recursive: true, force: true });
});

it('subscribes, confirms, publishes and answers SNS\'s error codes with boto3', async () => {
  const account = platform!.config.accountId;
  const { topic, subscription } = (await scenario('subscribe', endpoint.url)) as { topic: string; subscription: string };
  expect(topic).toBe(`arn:aws:sns:us-east-1:${account}:boto`);
  expect(subscription).toMatch(new RegExp(`^${topic}:`));
  const [confirmation] = await endpoint.waitFor('SubscriptionConfirmation');
  expect(await verifySnsMessage(confirmation!.body)).toBe(true);

  const out = await scenario('confirm', topic, confirmation!.body.Token!);
  expect(out).toMatchObject({
    confirmed: subscription,
    topics: [topic],
    subscriptions: [{ SubscriptionArn: subscription, Owner: account, Protocol: 'http', Endpoint: endpoint.url, TopicArn: topic }],
    tags: [{ Key: 'via', Value: 'boto3' }],
    errors: {
      // Statuses as SNS's model gives them: NotFound 404, AuthorizationError 403.
      notFound: { code: 'NotFound', status: 404 },
      otherAccount: { code: 'AuthorizationError', status: 403 },
      sqs: { code: 'InvalidParameter', status: 400 },
      fifo: { code: 'InvalidParameter', status: 400 },
      badToken: { code: 'InvalidParameter', status: 400 },
      unknownAttribute: { code: 'InvalidParameter', status: 400 },
      missingMessage: { code: 'InvalidParameter', status: 400 },
    },
  });
  // Only the one message was delivered.
  await new Promise((r) => setTimeout(r, 300));
  expect(endpoint.received.filter((r) => r.body.Type === 'Notification')).toHaveLength(1);
  const [note] = await endpoint.waitFor('Notification');
  expect(note!.body).toMatchObject({ MessageId: out.messageId, Message: 'from boto3', Subject: 'boto', MessageAttributes: { n: { Type: 'Number', Value: '42' }, b: { Type: 'Binary', Value: 'AAE=' } } });
  expect(await verifySnsMessage(note!.body)).toBe(true);
}, 60_000);
