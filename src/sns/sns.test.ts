import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import { Deliverer, DELIVERIES, type PendingDelivery } from './deliverer.js';
import { verifyMessage, type SnsMessage } from './message-signature.js';
import { SUBSCRIPTIONS, TOPICS, type SubscriptionRecord } from './records.js';
import { loadOrCreateSigningKey } from './signing-key.js';
import { Sns } from './sns.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-sns-domain-'));
const key = loadOrCreateSigningKey(dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const here = { accountId: '123456789012', region: 'eu-west-1' };

/** An Sns over a memory store whose deliverer is stopped: deliveries stay queued, for inspection. */
async function sns() {
  const store = new MemoryStore();
  const deliverer = new Deliverer(store);
  await deliverer.stop();
  return { store, sns: new Sns({ store, key, deliverer, endpoint: () => 'http://minato.test:4566' }) };
}

describe('Sns', () => {
  it('pages ListTopics 100 at a time and refuses a forged token', async () => {
    const { sns: s } = await sns();
    for (let i = 0; i < 250; i++) await s.createTopic(here, `t${String(i).padStart(3, '0')}`);
    await s.createTopic({ ...here, region: 'us-east-1' }, 'elsewhere');
    const names: string[] = [];
    let token: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await s.listTopics(here, token);
      sizes.push(page.items.length);
      names.push(...page.items.map((t) => t.name));
      token = page.nextToken;
    } while (token);
    expect(sizes).toEqual([100, 100, 50]);
    expect(new Set(names).size).toBe(250);
    await expect(s.listTopics(here, 'forged')).rejects.toMatchObject({ kind: 'InvalidArgument' });
  });

  it('refuses bad topics and other accounts\' ARNs, storing nothing', async () => {
    const { sns: s, store } = await sns();
    await expect(s.createTopic(here, 'orders.fifo')).rejects.toThrow('FIFO');
    await expect(s.createTopic(here, 'orders', { FifoTopic: 'true' })).rejects.toThrow('FIFO');
    await expect(s.createTopic(here, 'orders', { KmsMasterKeyId: 'k' })).rejects.toThrow('KmsMasterKeyId');
    await expect(s.createTopic(here, 'orders', { Policy: '{' })).rejects.toMatchObject({ kind: 'InvalidArgument' });
    await expect(s.getTopicAttributes(here, 'arn:aws:sns:eu-west-1:999999999999:orders')).rejects.toMatchObject({ kind: 'AccessDenied' });
    await expect(s.getTopicAttributes(here, 'arn:aws:sns:eu-west-1:123456789012:orders')).rejects.toMatchObject({ kind: 'NotFound', subject: 'topic' });
    expect(await store.collection(TOPICS).list()).toEqual([]);
  });

  it('accepts delivery status logging only at its defaults, storing none of them', async () => {
    const { sns: s } = await sns();
    const topic = await s.createTopic(here, 'alerts', { HTTPSuccessFeedbackSampleRate: '0', LambdaFailureFeedbackRoleArn: '' });
    await s.setTopicAttribute(here, topic.arn, 'FirehoseSuccessFeedbackSampleRate', '0');
    await s.setTopicAttribute(here, topic.arn, 'SQSSuccessFeedbackRoleArn', '');
    expect(Object.keys(await s.getTopicAttributes(here, topic.arn)).filter((k) => k.includes('Feedback'))).toEqual([]);
    await expect(s.setTopicAttribute(here, topic.arn, 'HTTPSuccessFeedbackSampleRate', '50')).rejects.toThrow(/delivery status logging is not supported/);
    await expect(
      s.createTopic(here, 'logged', { HTTPFailureFeedbackRoleArn: 'arn:aws:iam::123456789012:role/sns-logs' }),
    ).rejects.toThrow(/delivery status logging is not supported/);
    expect((await s.listTopics(here)).items.map((t) => t.name)).toEqual(['alerts']);
  });

  it('answers the same subscription for the same endpoint, confirms by token, and drops it with the topic', async () => {
    const { sns: s, store } = await sns();
    const topic = await s.createTopic(here, 'alerts');
    const a = await s.subscribe(here, topic.arn, 'https', 'https://hooks.example/a');
    const b = await s.subscribe(here, topic.arn, 'https', 'https://hooks.example/a');
    expect(b.arn).toBe(a.arn);
    // Two confirmations queued, both signed and carrying the token and SubscribeURL.
    const queued = (await store.collection<PendingDelivery>(DELIVERIES).list()).map((r) => JSON.parse(r.value.body) as SnsMessage & { Signature: string });
    expect(queued).toHaveLength(2);
    for (const m of queued) {
      expect(m).toMatchObject({ Type: 'SubscriptionConfirmation', Token: a.token, SubscribeURL: expect.stringContaining(`Token=${a.token}`) });
      expect(verifyMessage(m, m.Signature, key.certificatePem)).toBe(true);
    }
    await expect(s.confirmSubscription(here, topic.arn, 'wrong')).rejects.toThrow('Invalid token');
    expect((await s.confirmSubscription(here, topic.arn, a.token)).confirmed).toBe(true);
    expect(await s.getTopicAttributes(here, topic.arn)).toMatchObject({ SubscriptionsConfirmed: '1', SubscriptionsPending: '0' });
    await s.deleteTopic(here, topic.arn);
    expect(await store.collection(SUBSCRIPTIONS).list()).toEqual([]);
  });

  it('answers a subscription’s attributes as SNS does, pending until confirmed', async () => {
    const { sns: s } = await sns();
    const topic = await s.createTopic(here, 'alerts');
    const sub = await s.subscribe(here, topic.arn, 'http', 'http://hooks.example/a');
    expect(await s.getSubscriptionAttributes(here, sub.arn)).toEqual({
      SubscriptionArn: sub.arn,
      TopicArn: topic.arn,
      Owner: here.accountId,
      Protocol: 'http',
      Endpoint: 'http://hooks.example/a',
      PendingConfirmation: 'true',
      ConfirmationWasAuthenticated: 'false',
      RawMessageDelivery: 'false',
      EffectiveDeliveryPolicy: (await s.getTopicAttributes(here, topic.arn)).EffectiveDeliveryPolicy,
    });
    await s.confirmSubscription(here, topic.arn, sub.token);
    expect((await s.getSubscriptionAttributes(here, sub.arn)).PendingConfirmation).toBe('false');
    await expect(s.getSubscriptionAttributes(here, `${topic.arn}:00000000-0000-0000-0000-000000000000`)).rejects.toThrow('Subscription does not exist');
    await expect(s.getSubscriptionAttributes({ ...here, accountId: '999999999999' }, sub.arn)).rejects.toMatchObject({ kind: 'AccessDenied' });
  });

  it('publishes to confirmed subscriptions only, signed with the Subject covered', async () => {
    const { sns: s, store } = await sns();
    const topic = await s.createTopic(here, 'alerts');
    const confirmed = await s.subscribe(here, topic.arn, 'http', 'http://hooks.example/one');
    await s.confirmSubscription(here, topic.arn, confirmed.token);
    await s.subscribe(here, topic.arn, 'http', 'http://hooks.example/pending');
    const id = await s.publish(here, topic.arn, { Message: 'm', Subject: 'S' }, new Date(0));
    const notes = (await store.collection<PendingDelivery>(DELIVERIES).list()).map((r) => r.value).filter((d) => d.headers['x-amz-sns-message-type'] === 'Notification');
    expect(notes.map((d) => d.endpoint)).toEqual(['http://hooks.example/one']);
    expect(notes[0]!.headers).toMatchObject({ 'x-amz-sns-message-id': id, 'x-amz-sns-subscription-arn': confirmed.arn, 'x-amz-sns-topic-arn': topic.arn });
    const body = JSON.parse(notes[0]!.body) as SnsMessage & { Signature: string; SigningCertURL: string };
    expect(body).toMatchObject({ Type: 'Notification', MessageId: id, Subject: 'S', Timestamp: '1970-01-01T00:00:00.000Z', SigningCertURL: `http://minato.test:4566/sns/${key.certificateName}` });
    expect(verifyMessage(body, body.Signature, key.certificatePem)).toBe(true);
    await expect(s.publish(here, topic.arn, { Message: 'm', Subject: 'two\nlines' }, new Date())).rejects.toMatchObject({ kind: 'InvalidArgument' });
    await expect(s.subscribe(here, topic.arn, 'sqs', 'arn:aws:sqs:eu-west-1:123456789012:q')).rejects.toThrow('only http and https');
  });

  it('delivers the bare message to raw subscriptions, refuses attributes it does not act on, and toggles raw delivery', async () => {
    const { sns: s, store } = await sns();
    const topic = await s.createTopic(here, 'alerts');
    const raw = await s.subscribe(here, topic.arn, 'http', 'http://hooks.example/raw', { RawMessageDelivery: 'true' });
    await s.confirmSubscription(here, topic.arn, raw.token);
    expect((await s.getSubscriptionAttributes(here, raw.arn)).RawMessageDelivery).toBe('true');
    await expect(s.subscribe(here, topic.arn, 'http', 'http://hooks.example/raw', { RawMessageDelivery: 'false' })).rejects.toThrow('different attributes');
    await expect(s.subscribe(here, topic.arn, 'http', 'http://hooks.example/f', { FilterPolicy: '{}' })).rejects.toThrow('FilterPolicy is not supported');
    await expect(s.subscribe(here, topic.arn, 'http', 'http://hooks.example/f', { RawMessageDelivery: 'yes' })).rejects.toThrow('Must be true or false');
    const id = await s.publish(here, topic.arn, { Message: '{"order":1}', Subject: 'S' }, new Date(0));
    const notes = async () => (await store.collection<PendingDelivery>(DELIVERIES).list()).map((r) => r.value).filter((d) => d.headers['x-amz-sns-message-type'] === 'Notification');
    expect(await notes()).toMatchObject([{ body: '{"order":1}', headers: { 'x-amz-sns-rawdelivery': 'true', 'x-amz-sns-message-id': id, 'x-amz-sns-subscription-arn': raw.arn } }]);
    await s.setSubscriptionAttribute(here, raw.arn, 'RawMessageDelivery', 'false');
    expect((await s.getSubscriptionAttributes(here, raw.arn)).RawMessageDelivery).toBe('false');
    await expect(s.setSubscriptionAttribute(here, raw.arn, 'DeliveryPolicy', '{}')).rejects.toThrow('DeliveryPolicy is not supported');
    await s.publish(here, topic.arn, { Message: 'wrapped' }, new Date(0));
    const wrapped = (await notes()).find((d) => d.body !== '{"order":1}')!;
    expect(wrapped.headers['x-amz-sns-rawdelivery']).toBeUndefined();
    expect(JSON.parse(wrapped.body)).toMatchObject({ Type: 'Notification', Message: 'wrapped' });
  });

  it('keeps a subscription confirmed with AuthenticateOnUnsubscribe from unsigned unsubscribes', async () => {
    const { sns: s, store } = await sns();
    const topic = await s.createTopic(here, 'alerts');
    const sub = await s.subscribe(here, topic.arn, 'http', 'http://hooks.example/a');
    const stored = async () => store.collection<SubscriptionRecord>(SUBSCRIPTIONS).get(sub.arn);
    // Only a signed request may set it: the unsigned SubscribeURL is refused and changes nothing.
    await expect(s.confirmSubscription(here, topic.arn, sub.token, { signed: false, authenticateOnUnsubscribe: true })).rejects.toMatchObject({
      kind: 'AccessDenied',
      message: 'AuthenticateOnUnsubscribe=true needs a signed ConfirmSubscription request; an unsigned SubscribeURL cannot set it.',
    });
    expect(await stored()).toMatchObject({ confirmed: false });
    expect((await stored())!.authenticateOnUnsubscribe).toBeUndefined();

    await s.confirmSubscription(here, topic.arn, sub.token, { signed: true, authenticateOnUnsubscribe: true });
    expect(await stored()).toMatchObject({ confirmed: true, authenticateOnUnsubscribe: true });
    expect((await s.getSubscriptionAttributes(here, sub.arn)).ConfirmationWasAuthenticated).toBe('true');
    // A later confirmation without the flag (signed or not) does not lift it.
    await s.confirmSubscription(here, topic.arn, sub.token, { signed: false });
    await s.confirmSubscription(here, topic.arn, sub.token, { signed: true, authenticateOnUnsubscribe: false });
    expect((await stored())!.authenticateOnUnsubscribe).toBe(true);

    await expect(s.unsubscribe(here, sub.arn, { signed: false })).rejects.toMatchObject({
      kind: 'AccessDenied',
      message: 'This subscription was confirmed with AuthenticateOnUnsubscribe: only a signed Unsubscribe request of the account can remove it.',
    });
    expect(await stored()).toBeDefined();
    await s.unsubscribe(here, sub.arn, { signed: true });
    expect(await stored()).toBeUndefined();

    // Without the flag, the unsigned link still removes a subscription.
    const open = await s.subscribe(here, topic.arn, 'http', 'http://hooks.example/b');
    await s.confirmSubscription(here, topic.arn, open.token, { signed: true });
    expect((await s.getSubscriptionAttributes(here, open.arn)).ConfirmationWasAuthenticated).toBe('false');
    await s.unsubscribe(here, open.arn, { signed: false });
    await expect(s.unsubscribe(here, open.arn, { signed: true })).rejects.toThrow('Subscription does not exist');
  });
});
