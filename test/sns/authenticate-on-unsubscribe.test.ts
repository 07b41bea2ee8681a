import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { TestEndpoint } from './sns-fixture.js';

const dataDir = mkdtempSync(join(tmpdir(), 'minato-sns-auth-'));
const home = mkdtempSync(join(tmpdir(), 'minato-sns-auth-home-'));
let platform: TestPlatform | undefined;
let endpoint: TestEndpoint;

const run = (...args: string[]) => awsCli(platform!.endpoint, home, args);
const aws = async (...args: string[]) => {
  const r = await run(...args);
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, unknown>);
};
const subscriptionArns = async (topicArn: string) =>
  ((await aws('sns', 'list-subscriptions-by-topic', '--topic-arn', topicArn)).Subscriptions as Array<{ SubscriptionArn: string }>).map((s) => s.SubscriptionArn);
/** The UnsubscribeURL a notification carries, followed as a plain (unsigned) GET. */
const unsignedUnsubscribe = async (subscriptionArn: string) =>
  fetch(`${platform!.endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`);

beforeAll(async () => {
  endpoint = await new TestEndpoint().start();
  platform = await startTestPlatform({ dataDir });
}, 60_000);

afterAll(async () => {
  await platform?.dispose();
  await endpoint.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('SNS ConfirmSubscription --authenticate-on-unsubscribe with the AWS CLI', () => {
  it('keeps the subscription from the unsigned UnsubscribeURL, across a restart, while a signed Unsubscribe removes it', async () => {
    const topicArn = (await aws('sns', 'create-topic', '--name', 'guarded')).TopicArn as string;
    await aws('sns', 'subscribe', '--topic-arn', topicArn, '--protocol', 'http', '--notification-endpoint', endpoint.url);
    const m = (await endpoint.waitFor('SubscriptionConfirmation'))[0]!.body;

    // The unsigned SubscribeURL cannot ask for the protection; the subscription stays pending.
    const unsignedConfirm = await fetch(`${m.SubscribeURL!}&AuthenticateOnUnsubscribe=true`);
    expect(unsignedConfirm.status).toBe(403);
    expect(await unsignedConfirm.text()).toContain('<Code>AuthorizationError</Code>');
    expect(await subscriptionArns(topicArn)).toEqual(['PendingConfirmation']);

    const bad = await run('sns', 'confirm-subscription', '--topic-arn', topicArn, '--token', m.Token!, '--authenticate-on-unsubscribe', 'yes');
    expect(bad.stderr).toContain('InvalidParameter');
    const { SubscriptionArn } = await aws('sns', 'confirm-subscription', '--topic-arn', topicArn, '--token', m.Token!, '--authenticate-on-unsubscribe', 'true');
    const arn = SubscriptionArn as string;
    expect((await aws('sns', 'get-subscription-attributes', '--subscription-arn', arn)).Attributes).toMatchObject({ ConfirmationWasAuthenticated: 'true', PendingConfirmation: 'false' });

    const refused = await unsignedUnsubscribe(arn);
    expect(refused.status).toBe(403);
    const body = await refused.text();
    expect(body).toContain('<Code>AuthorizationError</Code>');
    expect(body).toContain('only a signed Unsubscribe request of the account can remove it');
    expect(await subscriptionArns(topicArn)).toEqual([arn]);

    await platform!.dispose();
    platform = undefined;
    platform = await startTestPlatform({ dataDir });
    expect((await unsignedUnsubscribe(arn)).status).toBe(403);
    expect(await subscriptionArns(topicArn)).toEqual([arn]);

    await aws('sns', 'unsubscribe', '--subscription-arn', arn);
    expect(await subscriptionArns(topicArn)).toEqual([]);
  }, 90_000);
});
