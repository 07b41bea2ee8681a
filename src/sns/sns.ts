import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError, ErrorKind, invalidParameter, notFound } from '../lib/errors.js';
import { formatArn, parseArn } from '../lib/arn.js';
import { decodeToken, pageOf, type Page } from '../lib/pagination.js';
import type { Scope } from '../lib/scope.js';
import type { Store } from '../store/store.js';
import { DEFAULT_RETRY_POLICY, effectiveDeliveryPolicy, parseDeliveryPolicy } from './delivery-policy.js';
import type { Deliverer } from './deliverer.js';
import { signMessage, type SnsMessage } from './message-signature.js';
import { defaultTopicPolicy, deliveryStatusDefault, SETTABLE_ATTRIBUTES, SUBSCRIPTIONS, TOPICS, type SubscriptionRecord, type TopicRecord } from './records.js';
import type { SigningKey } from './signing-key.js';

type Tag = { Key: string; Value: string };
type Where = Pick<Scope, 'accountId' | 'region'>;

/** SNS answers 100 topics or subscriptions per page. */
const PAGE = 100;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const MAX_MESSAGE_BYTES = 256 * 1024;

const authorizationError = (message: string) => new DomainError(ErrorKind.AccessDenied, message);

/**
 * Whether a request was signed by a caller of the account, or came through an unsigned link
 * (SubscribeURL, UnsubscribeURL), which anyone who holds the link may follow.
 */
export interface Signature {
  readonly signed: boolean;
}

export interface SnsOptions {
  readonly store: Store;
  readonly key: SigningKey;
  readonly deliverer: Deliverer;
  /** The platform's endpoint (SubscribeURL, UnsubscribeURL, SigningCertURL are on it). */
  readonly endpoint: () => string;
}

/**
 * Amazon SNS, enough to notify HTTP/S endpoints: topics, subscriptions confirmed by SNS's
 * handshake, and Publish, whose messages the deliverer posts signed (signature version 1).
 */
export class Sns {
  constructor(private readonly o: SnsOptions) {}

  private get topics() {
    return this.o.store.collection<TopicRecord>(TOPICS);
  }
  private get subscriptions() {
    return this.o.store.collection<SubscriptionRecord>(SUBSCRIPTIONS);
  }

  /** The certificate endpoints verify messages with, at SigningCertURL. */
  get signingCertificate(): { name: string; pem: string } {
    return { name: this.o.key.certificateName, pem: this.o.key.certificatePem };
  }

  async createTopic(scope: Where, name: string, attributes: Record<string, string> = {}, tags: Tag[] = []): Promise<TopicRecord> {
    if (name.endsWith('.fifo') || attributes.FifoTopic !== undefined) {
      throw invalidParameter('Invalid parameter: FIFO topics are not supported by this endpoint; create a standard topic.');
    }
    if (!TOPIC_NAME.test(name)) {
      throw invalidParameter('Invalid parameter: Topic Name: must be 1 to 256 ASCII letters, numbers, underscores and hyphens.');
    }
    checkAttributes(attributes);
    attributes = withoutDefaults(attributes);
    const arn = formatArn('sns', scope.region, scope.accountId, name);
    const topic: TopicRecord = { arn, name, attributes, tags };
    const existing = await this.topics.get(arn);
    if (existing) {
      // CreateTopic is idempotent: the same name with the same attributes answers the same topic.
      const same = Object.entries(attributes).every(([k, v]) => existing.attributes[k] === v);
      if (!same) throw invalidParameter('Invalid parameter: Attributes Reason: Topic already exists with different attributes');
      return existing;
    }
    await this.topics.put(arn, topic);
    return topic;
  }

  /** DeleteTopic: its subscriptions go with it; a topic already gone is no error, as on SNS. */
  async deleteTopic(scope: Where, arn: string): Promise<void> {
    checkTopicArn(scope, arn);
    await this.o.store.transaction(async (tx) => {
      const subs = tx.collection<SubscriptionRecord>(SUBSCRIPTIONS);
      for (const { key } of await subs.list({ prefix: `${arn}:` })) await subs.delete(key);
      await tx.collection<TopicRecord>(TOPICS).delete(arn);
    });
  }

  async listTopics(scope: Where, nextToken?: string): Promise<Page<TopicRecord>> {
    const after = decodeToken('sns-topics', nextToken);
    const rows = await this.topics.list({ prefix: formatArn('sns', scope.region, scope.accountId, ''), ...(after && { after }), limit: PAGE + 1 });
    return pageOf('sns-topics', rows, PAGE);
  }

  async getTopicAttributes(scope: Where, arn: string): Promise<Record<string, string>> {
    const topic = await this.topic(scope, arn);
    const subs = (await this.subscriptions.list({ prefix: `${arn}:` })).map((r) => r.value);
    const policy = topic.attributes.DeliveryPolicy === undefined ? DEFAULT_RETRY_POLICY : parseDeliveryPolicy(topic.attributes.DeliveryPolicy);
    return {
      TopicArn: arn,
      Owner: scope.accountId,
      Policy: defaultTopicPolicy(arn, scope.accountId),
      DisplayName: '',
      ...topic.attributes,
      SubscriptionsConfirmed: String(subs.filter((s) => s.confirmed).length),
      SubscriptionsPending: String(subs.filter((s) => !s.confirmed).length),
      SubscriptionsDeleted: '0',
      EffectiveDeliveryPolicy: effectiveDeliveryPolicy(policy),
    };
  }

  async setTopicAttribute(scope: Where, arn: string, name: string, value: string | undefined): Promise<void> {
    const topic = await this.topic(scope, arn);
    checkAttributes({ [name]: value ?? '' });
    const attributes = { ...topic.attributes };
    // An empty value clears the attribute (the default policy comes back).
    if (value === undefined || value === '' || deliveryStatusDefault(name, value)) delete attributes[name];
    else attributes[name] = value;
    await this.topics.put(arn, { ...topic, attributes });
  }

  /**
   * Subscribe: an HTTP/S endpoint gets a SubscriptionConfirmation and stays pending until it
   * confirms. Subscribing the same endpoint again answers the same subscription (and sends the
   * confirmation again while it is pending).
   */
  async subscribe(scope: Where, topicArn: string, protocol: string, endpoint: string | undefined, attributes: Record<string, string> = {}): Promise<SubscriptionRecord> {
    const raw = subscriptionAttributes(attributes).RawMessageDelivery;
    const topic = await this.topic(scope, topicArn);
    if (protocol !== 'http' && protocol !== 'https') {
      throw invalidParameter(`Invalid parameter: Protocol: ${protocol} is not supported by this endpoint; only http and https subscriptions are.`);
    }
    if (endpoint === undefined || !isEndpointOf(protocol, endpoint)) throw invalidParameter('Invalid parameter: Endpoint must match the specified protocol');
    const existing = (await this.subscriptions.list({ prefix: `${topicArn}:` })).map((r) => r.value).find((s) => s.protocol === protocol && s.endpoint === endpoint);
    if (existing && raw !== undefined && raw !== (existing.rawMessageDelivery ?? false)) {
      throw invalidParameter('Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
    }
    const sub: SubscriptionRecord = existing ?? {
      arn: `${topicArn}:${randomUUID()}`,
      topicArn,
      protocol,
      endpoint,
      owner: scope.accountId,
      token: randomBytes(64).toString('hex'),
      confirmed: false,
      ...(raw && { rawMessageDelivery: true }),
    };
    if (!existing) await this.subscriptions.put(sub.arn, sub);
    if (!sub.confirmed) await this.sendConfirmation(topic, sub);
    return sub;
  }

  /**
   * ConfirmSubscription (and the unsigned SubscribeURL): the token the confirmation carried.
   * AuthenticateOnUnsubscribe=true, which SNS takes only on a signed request, protects the
   * subscription from unsigned unsubscribes from then on; a later confirmation without it does
   * not lift the protection.
   */
  async confirmSubscription(scope: Where, topicArn: string, token: string, how: Signature & { authenticateOnUnsubscribe?: boolean } = { signed: false }): Promise<SubscriptionRecord> {
    await this.topic(scope, topicArn);
    const sub = (await this.subscriptions.list({ prefix: `${topicArn}:` })).map((r) => r.value).find((s) => s.token === token);
    if (!sub) throw invalidParameter('Invalid token');
    const protect = how.authenticateOnUnsubscribe === true && !sub.authenticateOnUnsubscribe;
    if (protect && !how.signed) {
      throw authorizationError('AuthenticateOnUnsubscribe=true needs a signed ConfirmSubscription request; an unsigned SubscribeURL cannot set it.');
    }
    const confirmed: SubscriptionRecord = { ...sub, confirmed: true, ...(protect && { authenticateOnUnsubscribe: true }) };
    if (!sub.confirmed || protect) await this.subscriptions.put(sub.arn, confirmed);
    return confirmed;
  }

  /** Unsubscribe; a subscription confirmed with AuthenticateOnUnsubscribe only by a signed request. */
  async unsubscribe(scope: Where, subscriptionArn: string, how: Signature): Promise<void> {
    const topicArn = subscriptionArn.slice(0, subscriptionArn.lastIndexOf(':'));
    checkTopicArn(scope, topicArn, 'SubscriptionArn');
    const sub = await this.subscriptions.get(subscriptionArn);
    if (!sub) throw notFound('subscription', 'Subscription does not exist');
    if (sub.authenticateOnUnsubscribe && !how.signed) {
      throw authorizationError('This subscription was confirmed with AuthenticateOnUnsubscribe: only a signed Unsubscribe request of the account can remove it.');
    }
    if (!(await this.subscriptions.delete(subscriptionArn))) throw notFound('subscription', 'Subscription does not exist');
  }

  /**
   * GetSubscriptionAttributes, as SNS answers for an HTTP/S subscription: its raw delivery, the
   * topic's effective delivery policy. ConfirmationWasAuthenticated is true for a subscription
   * confirmed by a signed request with AuthenticateOnUnsubscribe (the one kind minato records).
   */
  async getSubscriptionAttributes(scope: Where, subscriptionArn: string): Promise<Record<string, string>> {
    const topicArn = subscriptionArn.slice(0, subscriptionArn.lastIndexOf(':'));
    checkTopicArn(scope, topicArn, 'SubscriptionArn');
    const sub = await this.subscriptions.get(subscriptionArn);
    if (!sub) throw notFound('subscription', 'Subscription does not exist');
    const topic = await this.topic(scope, topicArn);
    const policy = topic.attributes.DeliveryPolicy === undefined ? DEFAULT_RETRY_POLICY : parseDeliveryPolicy(topic.attributes.DeliveryPolicy);
    return {
      SubscriptionArn: sub.arn,
      TopicArn: sub.topicArn,
      Owner: sub.owner,
      Protocol: sub.protocol,
      Endpoint: sub.endpoint,
      PendingConfirmation: String(!sub.confirmed),
      ConfirmationWasAuthenticated: String(sub.authenticateOnUnsubscribe ?? false),
      RawMessageDelivery: String(sub.rawMessageDelivery ?? false),
      EffectiveDeliveryPolicy: effectiveDeliveryPolicy(policy),
    };
  }

  /** SetSubscriptionAttributes: RawMessageDelivery is the one attribute minato acts on. */
  async setSubscriptionAttribute(scope: Where, subscriptionArn: string, name: string, value: string | undefined): Promise<void> {
    const topicArn = subscriptionArn.slice(0, subscriptionArn.lastIndexOf(':'));
    checkTopicArn(scope, topicArn, 'SubscriptionArn');
    const raw = subscriptionAttributes({ [name]: value ?? '' }).RawMessageDelivery;
    const sub = await this.subscriptions.get(subscriptionArn);
    if (!sub) throw notFound('subscription', 'Subscription does not exist');
    const { rawMessageDelivery: _raw, ...rest } = sub;
    await this.subscriptions.put(sub.arn, raw ? { ...rest, rawMessageDelivery: true } : rest);
  }

  async listSubscriptions(scope: Where, nextToken?: string, topicArn?: string): Promise<Page<SubscriptionRecord>> {
    if (topicArn !== undefined) await this.topic(scope, topicArn);
    const listing = topicArn === undefined ? 'sns-subscriptions' : `sns-subscriptions:${topicArn}`;
    const after = decodeToken(listing, nextToken);
    const prefix = topicArn === undefined ? formatArn('sns', scope.region, scope.accountId, '') : `${topicArn}:`;
    return pageOf(listing, await this.subscriptions.list({ prefix, ...(after && { after }), limit: PAGE + 1 }), PAGE);
  }

  /** Publish: one signed Notification per confirmed subscription; returns the MessageId. */
  async publish(
    scope: Where,
    topicArn: string,
    message: { Message: string; Subject?: string; MessageAttributes?: Record<string, { Type: string; Value: string }> },
    now: Date,
  ): Promise<string> {
    const topic = await this.topic(scope, topicArn);
    if (message.Message === '') throw invalidParameter('Invalid parameter: Empty message');
    if (Buffer.byteLength(message.Message) > MAX_MESSAGE_BYTES) throw invalidParameter('Invalid parameter: Message too long');
    if (message.Subject !== undefined && !/^[\x20-\x7e]{1,99}$/.test(message.Subject)) {
      throw invalidParameter('Invalid parameter: Subject must be ASCII text, 1 to 99 printable characters, without line breaks');
    }
    const messageId = randomUUID();
    const subs = (await this.subscriptions.list({ prefix: `${topicArn}:` })).map((r) => r.value).filter((s) => s.confirmed);
    for (const sub of subs) {
      const body: SnsMessage = {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: topicArn,
        ...(message.Subject !== undefined && { Subject: message.Subject }),
        Message: message.Message,
        Timestamp: now.toISOString(),
        UnsubscribeURL: `${this.o.endpoint()}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub.arn)}`,
        ...(message.MessageAttributes && Object.keys(message.MessageAttributes).length > 0 && { MessageAttributes: message.MessageAttributes }),
      };
      await this.deliver(topic, sub, body);
    }
    return messageId;
  }

  async tagResource(scope: Where, arn: string, tags: Tag[]): Promise<void> {
    const topic = await this.taggable(scope, arn);
    const merged = new Map(topic.tags.map((t) => [t.Key, t.Value]));
    for (const t of tags) merged.set(t.Key, t.Value);
    if (merged.size > 50) throw new DomainError(ErrorKind.LimitExceeded, 'Could not complete request: tag quota of per resource exceeded', 'tags');
    await this.topics.put(arn, { ...topic, tags: [...merged].map(([Key, Value]) => ({ Key, Value })) });
  }

  async untagResource(scope: Where, arn: string, keys: string[]): Promise<void> {
    const topic = await this.taggable(scope, arn);
    await this.topics.put(arn, { ...topic, tags: topic.tags.filter((t) => !keys.includes(t.Key)) });
  }

  async listTags(scope: Where, arn: string): Promise<readonly Tag[]> {
    return (await this.taggable(scope, arn)).tags;
  }

  private async taggable(scope: Where, arn: string): Promise<TopicRecord> {
    checkTopicArn(scope, arn, 'ResourceArn');
    const topic = await this.topics.get(arn);
    if (!topic) throw notFound('resource', 'Resource does not exist');
    return topic;
  }

  private async topic(scope: Where, arn: string): Promise<TopicRecord> {
    checkTopicArn(scope, arn);
    const topic = await this.topics.get(arn);
    if (!topic) throw notFound('topic', 'Topic does not exist');
    return topic;
  }

  private async sendConfirmation(topic: TopicRecord, sub: SubscriptionRecord): Promise<void> {
    const subscribeUrl = `${this.o.endpoint()}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topic.arn)}&Token=${sub.token}`;
    await this.deliver(topic, sub, {
      Type: 'SubscriptionConfirmation',
      MessageId: randomUUID(),
      Token: sub.token,
      TopicArn: topic.arn,
      Message: `You have chosen to subscribe to the topic ${topic.arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: subscribeUrl,
      Timestamp: new Date().toISOString(),
    });
  }

  /** Signs the message and hands it to the deliverer with SNS's headers. */
  private async deliver(topic: TopicRecord, sub: SubscriptionRecord, m: SnsMessage): Promise<void> {
    const policy = topic.attributes.DeliveryPolicy === undefined ? DEFAULT_RETRY_POLICY : parseDeliveryPolicy(topic.attributes.DeliveryPolicy);
    // Raw delivery posts the bare message (unsigned, without its attributes); confirmations stay wrapped.
    const raw = m.Type === 'Notification' && sub.rawMessageDelivery === true;
    const body = raw
      ? m.Message
      : JSON.stringify({
          ...m,
          SignatureVersion: '1',
          Signature: signMessage(m, this.o.key.privateKeyPem),
          SigningCertURL: `${this.o.endpoint()}/sns/${this.o.key.certificateName}`,
        });
    await this.o.deliverer.enqueue({
      id: randomUUID(),
      endpoint: sub.endpoint,
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'x-amz-sns-message-type': m.Type,
        'x-amz-sns-message-id': m.MessageId,
        'x-amz-sns-topic-arn': topic.arn,
        ...(m.Type === 'Notification' && { 'x-amz-sns-subscription-arn': sub.arn }),
        ...(raw && { 'x-amz-sns-rawdelivery': 'true' }),
        'user-agent': 'Amazon Simple Notification Service Agent',
      },
      body,
      policy,
    });
  }
}

/**
 * A subscription's attributes as Subscribe and SetSubscriptionAttributes take them: only
 * RawMessageDelivery is acted on; filter policies, redrive policies and the rest are refused.
 */
function subscriptionAttributes(attributes: Record<string, string>): { RawMessageDelivery?: boolean } {
  let raw: boolean | undefined;
  for (const [name, value] of Object.entries(attributes)) {
    if (name !== 'RawMessageDelivery') throw invalidParameter(`Invalid parameter: Attributes: subscription attribute ${name} is not supported by this endpoint`);
    if (!/^(true|false)$/i.test(value)) throw invalidParameter('Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [' + value + ']. Must be true or false.');
    raw = value.toLowerCase() === 'true';
  }
  return raw === undefined ? {} : { RawMessageDelivery: raw };
}

/** A topic ARN of this account and region; another account's is not ours to touch. */
function checkTopicArn(scope: Where, arn: string, member = 'TopicArn'): void {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sns' || !TOPIC_NAME.test(parsed.resource.replace(/:.*$/, ''))) throw invalidParameter(`Invalid parameter: ${member}`);
  if (parsed.accountId !== scope.accountId) throw authorizationError(`User: ${scope.accountId} is not authorized to access this resource`);
  if (parsed.region !== scope.region) throw invalidParameter(`Invalid parameter: ${member}: the ARN names region ${parsed.region}, the request was sent to ${scope.region}`);
}

function checkAttributes(attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    const isDefault = deliveryStatusDefault(name, value);
    if (isDefault === false) {
      throw invalidParameter(`Invalid parameter: AttributeName: ${name}: delivery status logging is not supported by this endpoint; only its default (no role, sample rate 0) is accepted.`);
    }
    if (isDefault) continue;
    if (!(SETTABLE_ATTRIBUTES as readonly string[]).includes(name)) {
      throw invalidParameter(`Invalid parameter: AttributeName: ${name} is not supported by this endpoint (DisplayName, Policy and DeliveryPolicy are).`);
    }
    if (value === '') continue;
    if (name === 'DeliveryPolicy') parseDeliveryPolicy(value);
    if (name === 'Policy') {
      try {
        JSON.parse(value);
      } catch {
        throw invalidParameter('Invalid parameter: Policy Error: null');
      }
    }
    if (name === 'DisplayName' && value.length > 100) throw invalidParameter('Invalid parameter: DisplayName must be at most 100 characters');
  }
}

/** The attributes to keep: delivery status defaults are accepted but not stored. */
function withoutDefaults(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([k, v]) => !deliveryStatusDefault(k, v)));
}

function isEndpointOf(protocol: 'http' | 'https', endpoint: string): boolean {
  try {
    return new URL(endpoint).protocol === `${protocol}:`;
  } catch {
    return false;
  }
}
