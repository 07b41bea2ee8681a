import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { TestEndpoint, verifySnsMessage } from './sns-fixture.js';

const dataDir = mkdtempSync(join(tmpdir(), 'minato-sns-'));
const home = mkdtempSync(join(tmpdir(), 'minato-sns-home-'));
const n = 1 + Math.floor(Math.random() * 250);
const network = { dataDir, taskBridge: `mns${process.pid % 10000}x${n}`, taskSubnet: `10.216.${n}.0/24`, lbSubnet: `127.78.${n}.0/24` };
// Retry delays of 20 "seconds" become 20 × 10 ms.
const options = { snsDelayUnitMs: 10 };
let platform: TestPlatform | undefined;
let endpoint: TestEndpoint;

const aws = async (...args: string[]) => {
  const r = await awsCli(platform!.endpoint, home, args);
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, unknown>);
};
const awsFails = async (...args: string[]) => {
  const r = await awsCli(platform!.endpoint, home, args);
  expect(r.code).not.toBe(0);
  return r.stderr;
};

beforeAll(async () => {
  endpoint = await new TestEndpoint().start();
  platform = await startTestPlatform(network, options);
}, 60_000);

afterAll(async () => {
  await platform?.dispose();
  await endpoint.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('SNS with the AWS CLI', () => {
  let topicArn = '';

  it('creates a topic idempotently and reports its attributes, with the default policy', async () => {
    topicArn = (await aws('sns', 'create-topic', '--name', 'alerts', '--attributes', 'DisplayName=Alerts')).TopicArn as string;
    expect(topicArn).toBe(`arn:aws:sns:us-east-1:${platform!.config.accountId}:alerts`);
    expect((await aws('sns', 'create-topic', '--name', 'alerts', '--attributes', 'DisplayName=Alerts')).TopicArn).toBe(topicArn);
    const attrs = (await aws('sns', 'get-topic-attributes', '--topic-arn', topicArn)).Attributes as Record<string, string>;
    expect(attrs).toMatchObject({ TopicArn: topicArn, DisplayName: 'Alerts', Owner: platform!.config.accountId, SubscriptionsConfirmed: '0', SubscriptionsPending: '0', SubscriptionsDeleted: '0' });
    const policy = JSON.parse(attrs.Policy!) as { Statement: Array<{ Resource: string; Condition: unknown }> };
    expect(policy.Statement[0]!.Resource).toBe(topicArn);
    expect(JSON.parse(attrs.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy).toMatchObject({ numRetries: 3, minDelayTarget: 20, maxDelayTarget: 20, numNoDelayRetries: 0 });
  });

  it('confirms a subscription by ConfirmSubscription with the token the signed confirmation carried', async () => {
    expect((await aws('sns', 'subscribe', '--topic-arn', topicArn, '--protocol', 'http', '--notification-endpoint', endpoint.url)).SubscriptionArn).toBe('pending confirmation');
    const [confirmation] = await endpoint.waitFor('SubscriptionConfirmation');
    const m = confirmation!.body;
    expect(m).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn: topicArn, SignatureVersion: '1' });
    expect(confirmation!.headers['x-amz-sns-topic-arn']).toBe(topicArn);
    expect(await verifySnsMessage(m)).toBe(true);
    const listed = (await aws('sns', 'list-subscriptions-by-topic', '--topic-arn', topicArn)).Subscriptions as Array<Record<string, string>>;
    expect(listed).toEqual([{ SubscriptionArn: 'PendingConfirmation', Owner: platform!.config.accountId, Protocol: 'http', Endpoint: endpoint.url, TopicArn: topicArn }]);
    const { SubscriptionArn } = await aws('sns', 'confirm-subscription', '--topic-arn', topicArn, '--token', m.Token!);
    expect(SubscriptionArn).toMatch(new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
    expect(((await aws('sns', 'list-subscriptions-by-topic', '--topic-arn', topicArn)).Subscriptions as Array<Record<string, string>>)[0]!.SubscriptionArn).toBe(SubscriptionArn);
  });

  it('confirms a subscription by a plain GET of the SubscribeURL, and refuses other unsigned calls', async () => {
    await aws('sns', 'create-topic', '--name', 'second');
    const second = topicArn.replace(/alerts$/, 'second');
    await aws('sns', 'subscribe', '--topic-arn', second, '--protocol', 'http', '--notification-endpoint', endpoint.url);
    const confirmations = await endpoint.waitFor('SubscriptionConfirmation', 2);
    const m = confirmations.find((c) => c.body.TopicArn === second)!.body;
    // Unsigned calls of anything else are refused as before.
    const publish = await fetch(`${platform!.endpoint}/?Action=Publish&TopicArn=${encodeURIComponent(second)}&Message=x`);
    expect(publish.status).toBe(403);
    const confirm = await fetch(m.SubscribeURL!);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain(`<SubscriptionArn>${second}:`);
    const attrs = (await aws('sns', 'get-topic-attributes', '--topic-arn', second)).Attributes as Record<string, string>;
    expect(attrs).toMatchObject({ SubscriptionsConfirmed: '1', SubscriptionsPending: '0' });
    // Only a GET of / takes no signature: the same call POSTed unsigned is refused.
    const posted = await fetch(`${platform!.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URL(m.SubscribeURL!).search.slice(1) });
    expect(posted.status).toBe(403);
    // The UnsubscribeURL of a notification is a plain link too.
    const before = endpoint.received.length;
    await aws('sns', 'publish', '--topic-arn', second, '--message', 'to be unsubscribed');
    const deadline = Date.now() + 10_000;
    while (!endpoint.received.slice(before).some((r) => r.body.Message === 'to be unsubscribed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const note = endpoint.received.slice(before).find((r) => r.body.Message === 'to be unsubscribed')!;
    expect((await fetch(note.body.UnsubscribeURL!)).status).toBe(200);
    expect((await aws('sns', 'list-subscriptions-by-topic', '--topic-arn', second)).Subscriptions).toEqual([]);
    await aws('sns', 'subscribe', '--topic-arn', second, '--protocol', 'http', '--notification-endpoint', endpoint.url);
    const again = (await endpoint.waitFor('SubscriptionConfirmation', 3)).at(-1)!.body;
    expect((await fetch(again.SubscribeURL!)).status).toBe(200);
  });

  it('publishes a signed notification to the confirmed subscription', async () => {
    const { MessageId } = await aws('sns', 'publish', '--topic-arn', topicArn, '--subject', 'Hello', '--message', 'the message body', '--message-attributes', '{"kind":{"DataType":"String","StringValue":"test"}}');
    const note = await endpoint.waitForMessage(MessageId as string);
    expect(note!.headers).toMatchObject({ 'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': MessageId, 'x-amz-sns-topic-arn': topicArn });
    expect(note!.headers['x-amz-sns-subscription-arn']).toMatch(new RegExp(`^${topicArn}:`));
    expect(note!.body).toMatchObject({ Type: 'Notification', MessageId, TopicArn: topicArn, Subject: 'Hello', Message: 'the message body', SignatureVersion: '1', MessageAttributes: { kind: { Type: 'String', Value: 'test' } } });
    expect(note!.body.UnsubscribeURL).toContain('Action=Unsubscribe');
    expect(await verifySnsMessage(note!.body)).toBe(true);
    // A tampered message does not verify.
    expect(await verifySnsMessage({ ...note!.body, Message: 'other' })).toBe(false);
  });

  it('retries after the endpoint answers 500 twice, on the delivery policy schedule', async () => {
    const before = endpoint.received.length;
    endpoint.statuses = [500, 500];
    const { MessageId } = await aws('sns', 'publish', '--topic-arn', topicArn, '--message', 'again');
    const deadline = Date.now() + 10_000;
    while (endpoint.received.slice(before).filter((r) => r.body.MessageId === MessageId).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const attempts = endpoint.received.slice(before).filter((r) => r.body.MessageId === MessageId);
    expect(attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    // 20 s each at the test's 10 ms per second.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(190);
    await new Promise((r) => setTimeout(r, 500));
    expect(endpoint.received.slice(before).filter((r) => r.body.MessageId === MessageId)).toHaveLength(3);
  });

  it('publishes CloudWatch\'s alarm notification when an alarm naming the topic goes to ALARM', async () => {
    await aws('cloudwatch', 'put-metric-alarm', '--alarm-name', 'high-cpu', '--alarm-description', 'CPU is high', '--namespace', 'AWS/ECS', '--metric-name', 'CPUUtilization', '--statistic', 'Average', '--period', '60', '--evaluation-periods', '1', '--threshold', '80', '--comparison-operator', 'GreaterThanThreshold', '--dimensions', 'Name=ClusterName,Value=prod', '--treat-missing-data', 'ignore', '--alarm-actions', topicArn);
    // OK first (the alarm has no OK actions), so the notification names the state it left; missing
    // data is ignored, so a scheduled evaluation (no data here) keeps the state set.
    await aws('cloudwatch', 'set-alarm-state', '--alarm-name', 'high-cpu', '--state-value', 'OK', '--state-reason', 'quiet');
    await aws('cloudwatch', 'set-alarm-state', '--alarm-name', 'high-cpu', '--state-value', 'ALARM', '--state-reason', 'testing the notification');
    const notes = await endpoint.waitFor('Notification', 1, 10_000).then(() => endpoint.waitForSubject('ALARM: "high-cpu" in US East (N. Virginia)'));
    const alarm = JSON.parse(notes.body.Message!) as Record<string, unknown>;
    expect(alarm).toMatchObject({
      AlarmName: 'high-cpu',
      AlarmDescription: 'CPU is high',
      AWSAccountId: platform!.config.accountId,
      NewStateValue: 'ALARM',
      NewStateReason: 'testing the notification',
      OldStateValue: 'OK',
      Region: 'US East (N. Virginia)',
      AlarmArn: `arn:aws:cloudwatch:us-east-1:${platform!.config.accountId}:alarm:high-cpu`,
      Trigger: { MetricName: 'CPUUtilization', Namespace: 'AWS/ECS', Statistic: 'AVERAGE', Period: 60, Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ name: 'ClusterName', value: 'prod' }] },
    });
    expect(alarm.StateChangeTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(await verifySnsMessage(notes.body)).toBe(true);
  });

  it('answers bad input with SNS\'s errors and stores nothing', async () => {
    const before = await aws('sns', 'list-topics');
    expect(await awsFails('sns', 'create-topic', '--name', 'orders.fifo', '--attributes', 'FifoTopic=true')).toContain('InvalidParameter');
    expect(await awsFails('sns', 'create-topic', '--name', 'bad name')).toContain('InvalidParameter');
    expect(await awsFails('sns', 'create-topic', '--name', 'masked', '--data-protection-policy', '{"Name":"p","Version":"2021-06-01","Statement":[]}')).toContain(
      'DataProtectionPolicy: message data protection is not supported by this endpoint',
    );
    expect(await awsFails('sns', 'create-topic', '--name', 'alerts', '--attributes', 'DisplayName=Other')).toContain('InvalidParameter');
    expect(await awsFails('sns', 'get-topic-attributes', '--topic-arn', topicArn.replace(/alerts$/, 'missing'))).toContain('NotFound');
    expect(await awsFails('sns', 'publish', '--topic-arn', topicArn.replace(/alerts$/, 'missing'), '--message', 'x')).toContain('NotFound');
    expect(await awsFails('sns', 'get-topic-attributes', '--topic-arn', 'arn:aws:sns:us-east-1:999999999999:alerts')).toContain('AuthorizationError');
    expect(await awsFails('sns', 'subscribe', '--topic-arn', topicArn, '--protocol', 'email', '--notification-endpoint', 'a@example.com')).toContain('InvalidParameter');
    expect(await awsFails('sns', 'subscribe', '--topic-arn', topicArn, '--protocol', 'https', '--notification-endpoint', endpoint.url)).toContain('InvalidParameter');
    expect(await awsFails('sns', 'confirm-subscription', '--topic-arn', topicArn, '--token', 'nope')).toContain('InvalidParameter');
    expect(await awsFails('sns', 'set-topic-attributes', '--topic-arn', topicArn, '--attribute-name', 'DeliveryPolicy', '--attribute-value', '{"http":{"defaultHealthyRetryPolicy":{"numRetries":-1}}}')).toContain('InvalidParameter');
    expect(await awsFails('sns', 'unsubscribe', '--subscription-arn', `${topicArn}:00000000-0000-0000-0000-000000000000`)).toContain('NotFound');
    expect(await awsFails('sns', 'list-tags-for-resource', '--resource-arn', topicArn.replace(/alerts$/, 'missing'))).toContain('ResourceNotFound');
    expect(await aws('sns', 'list-topics')).toEqual(before);
    expect(((await aws('sns', 'list-subscriptions-by-topic', '--topic-arn', topicArn)).Subscriptions as unknown[]).length).toBe(1);
  });

  it('tags topics', async () => {
    await aws('sns', 'tag-resource', '--resource-arn', topicArn, '--tags', 'Key=team,Value=ops', 'Key=env,Value=prod');
    await aws('sns', 'untag-resource', '--resource-arn', topicArn, '--tag-keys', 'env');
    expect((await aws('sns', 'list-tags-for-resource', '--resource-arn', topicArn)).Tags).toEqual([{ Key: 'team', Value: 'ops' }]);
  });

  it('keeps topics and subscriptions across a restart, and unsubscribes', async () => {
    const subsBefore = await aws('sns', 'list-subscriptions');
    // A delivery that fails just before the platform stops is retried after it starts again
    // (300 policy seconds: 3 s at the test's 10 ms per second).
    await aws('sns', 'set-topic-attributes', '--topic-arn', topicArn, '--attribute-name', 'DeliveryPolicy', '--attribute-value', '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":300,"maxDelayTarget":300,"numRetries":3}}}');
    const { DeliveryPolicy } = (await aws('sns', 'get-topic-attributes', '--topic-arn', topicArn)).Attributes as Record<string, string>;
    expect(JSON.parse(DeliveryPolicy!).http.defaultHealthyRetryPolicy.minDelayTarget).toBe(300);
    endpoint.statuses = [500];
    const failedOnce = endpoint.received.length;
    const { MessageId: pending } = await aws('sns', 'publish', '--topic-arn', topicArn, '--message', 'across the restart');
    const firstTry = Date.now() + 10_000;
    while (!endpoint.received.slice(failedOnce).some((r) => r.body.MessageId === pending) && Date.now() < firstTry) await new Promise((r) => setTimeout(r, 20));
    await platform!.dispose();
    platform = undefined;
    platform = await startTestPlatform(network, options);
    expect(((await aws('sns', 'list-topics')).Topics as Array<{ TopicArn: string }>).map((t) => t.TopicArn).sort()).toEqual([topicArn, topicArn.replace(/alerts$/, 'second')]);
    const subsAfter = await aws('sns', 'list-subscriptions');
    expect(subsAfter).toEqual(subsBefore);
    const resumed = Date.now() + 15_000;
    while (endpoint.received.slice(failedOnce).filter((r) => r.body.MessageId === pending).length < 2 && Date.now() < resumed) await new Promise((r) => setTimeout(r, 50));
    expect(endpoint.received.slice(failedOnce).filter((r) => r.body.MessageId === pending).map((r) => r.status)).toEqual([500, 200]);
    // Deliveries still work, signed by the same certificate.
    const before = endpoint.received.length;
    await aws('sns', 'publish', '--topic-arn', topicArn, '--message', 'after restart');
    const deadline = Date.now() + 10_000;
    while (!endpoint.received.slice(before).some((r) => r.body.Message === 'after restart') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const note = endpoint.received.slice(before).find((r) => r.body.Message === 'after restart')!;
    expect(await verifySnsMessage(note.body)).toBe(true);
    const subArn = note.headers['x-amz-sns-subscription-arn'] as string;
    await aws('sns', 'unsubscribe', '--subscription-arn', subArn);
    await aws('sns', 'delete-topic', '--topic-arn', topicArn.replace(/alerts$/, 'second'));
    expect((await aws('sns', 'list-subscriptions')).Subscriptions).toEqual([]);
  }, 60_000);
});
