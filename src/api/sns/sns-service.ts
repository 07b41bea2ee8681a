import type { AwsService, OperationHandler } from '../../server/service.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { invalidParameter } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import type { Sns } from '../../sns/sns.js';
import type { SubscriptionRecord } from '../../sns/records.js';
import { snsErrorName } from './errors.js';

type WireAttribute = { DataType: string; StringValue?: string; BinaryValue?: Uint8Array | string };

const subscriptionWire = (s: SubscriptionRecord) => ({
  SubscriptionArn: s.confirmed ? s.arn : 'PendingConfirmation',
  Owner: s.owner,
  Protocol: s.protocol,
  Endpoint: s.endpoint,
  TopicArn: s.topicArn,
});

/**
 * Whether the request was signed: the front door names the caller of every signed request; only
 * the unsigned SubscribeURL and UnsubscribeURL (SNS_UNSIGNED_GETS) arrive without one.
 */
const isSigned = (scope: Scope): boolean => scope.caller !== undefined;

/** AuthenticateOnUnsubscribe is a string on the wire: true or false, in any case. */
function trueOrFalse(value: string): boolean {
  if (!/^(true|false)$/i.test(value)) throw invalidParameter(`Invalid parameter: AuthenticateOnUnsubscribe: Invalid value [${value}]. Must be true or false.`);
  return value.toLowerCase() === 'true';
}

/**
 * Amazon SNS over the Query protocol (Version 2010-03-31): topics, HTTP/S subscriptions and
 * Publish. Other operations answer InvalidAction by their absence from the handlers.
 */
export function snsService(sns: Sns): AwsService {
  const handlers: Record<string, OperationHandler> = {
    async CreateTopic(input: { Name: string; Attributes?: Record<string, string>; Tags?: Array<{ Key: string; Value: string }>; DataProtectionPolicy?: string }, { scope }) {
      if (input.DataProtectionPolicy !== undefined) {
        throw invalidParameter('Invalid parameter: DataProtectionPolicy: message data protection is not supported by this endpoint; messages are neither audited, masked nor blocked.');
      }
      const topic = await sns.createTopic(scope, input.Name, input.Attributes ?? {}, input.Tags ?? []);
      return { TopicArn: topic.arn };
    },
    async DeleteTopic(input: { TopicArn: string }, { scope }) {
      await sns.deleteTopic(scope, input.TopicArn);
      return {};
    },
    async ListTopics(input: { NextToken?: string }, { scope }) {
      const page = await sns.listTopics(scope, input.NextToken);
      return { Topics: page.items.map((t) => ({ TopicArn: t.arn })), ...(page.nextToken && { NextToken: page.nextToken }) };
    },
    async GetTopicAttributes(input: { TopicArn: string }, { scope }) {
      return { Attributes: await sns.getTopicAttributes(scope, input.TopicArn) };
    },
    async SetTopicAttributes(input: { TopicArn: string; AttributeName: string; AttributeValue?: string }, { scope }) {
      await sns.setTopicAttribute(scope, input.TopicArn, input.AttributeName, input.AttributeValue);
      return {};
    },
    async Subscribe(input: { TopicArn: string; Protocol: string; Endpoint?: string; Attributes?: Record<string, string>; ReturnSubscriptionArn?: boolean }, { scope }) {
      const sub = await sns.subscribe(scope, input.TopicArn, input.Protocol, input.Endpoint, input.Attributes ?? {});
      return { SubscriptionArn: sub.confirmed || input.ReturnSubscriptionArn ? sub.arn : 'pending confirmation' };
    },
    async ConfirmSubscription(input: { TopicArn: string; Token: string; AuthenticateOnUnsubscribe?: string }, { scope }) {
      const how = { signed: isSigned(scope), ...(input.AuthenticateOnUnsubscribe !== undefined && { authenticateOnUnsubscribe: trueOrFalse(input.AuthenticateOnUnsubscribe) }) };
      return { SubscriptionArn: (await sns.confirmSubscription(scope, input.TopicArn, input.Token, how)).arn };
    },
    async GetSubscriptionAttributes(input: { SubscriptionArn: string }, { scope }) {
      return { Attributes: await sns.getSubscriptionAttributes(scope, input.SubscriptionArn) };
    },
    async SetSubscriptionAttributes(input: { SubscriptionArn: string; AttributeName: string; AttributeValue?: string }, { scope }) {
      await sns.setSubscriptionAttribute(scope, input.SubscriptionArn, input.AttributeName, input.AttributeValue);
      return {};
    },
    async Unsubscribe(input: { SubscriptionArn: string }, { scope }) {
      await sns.unsubscribe(scope, input.SubscriptionArn, { signed: isSigned(scope) });
      return {};
    },
    async ListSubscriptions(input: { NextToken?: string }, { scope }) {
      const page = await sns.listSubscriptions(scope, input.NextToken);
      return { Subscriptions: page.items.map(subscriptionWire), ...(page.nextToken && { NextToken: page.nextToken }) };
    },
    async ListSubscriptionsByTopic(input: { TopicArn: string; NextToken?: string }, { scope }) {
      const page = await sns.listSubscriptions(scope, input.NextToken, input.TopicArn);
      return { Subscriptions: page.items.map(subscriptionWire), ...(page.nextToken && { NextToken: page.nextToken }) };
    },
    async Publish(
      input: { TopicArn?: string; TargetArn?: string; PhoneNumber?: string; Message: string; Subject?: string; MessageStructure?: string; MessageAttributes?: Record<string, WireAttribute> },
      { scope },
    ) {
      if (input.PhoneNumber !== undefined) throw invalidParameter('Invalid parameter: PhoneNumber: SMS is not supported by this endpoint.');
      if (input.MessageStructure !== undefined) throw invalidParameter('Invalid parameter: MessageStructure: per-protocol messages are not supported by this endpoint.');
      const topicArn = input.TopicArn ?? input.TargetArn;
      if (topicArn === undefined) throw invalidParameter('Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
      const attributes = input.MessageAttributes && messageAttributes(input.MessageAttributes);
      const messageId = await sns.publish(
        scope,
        topicArn,
        { Message: input.Message, ...(input.Subject !== undefined && { Subject: input.Subject }), ...(attributes && { MessageAttributes: attributes }) },
        scope.now,
      );
      return { MessageId: messageId };
    },
    async TagResource(input: { ResourceArn: string; Tags: Array<{ Key: string; Value: string }> }, { scope }) {
      await sns.tagResource(scope, input.ResourceArn, input.Tags);
      return {};
    },
    async UntagResource(input: { ResourceArn: string; TagKeys: string[] }, { scope }) {
      await sns.untagResource(scope, input.ResourceArn, input.TagKeys);
      return {};
    },
    async ListTagsForResource(input: { ResourceArn: string }, { scope }) {
      return { Tags: await sns.listTags(scope, input.ResourceArn) };
    },
  };
  return {
    signingName: 'sns',
    model: loadServiceModel('sns'),
    handlers,
    errorName: snsErrorName,
    constraintErrorName: 'InvalidParameterException',
    genericErrorNames: { client: 'InvalidParameterException', server: 'InternalErrorException' },
  };
}

/** Publish's MessageAttributes as HTTP/S deliveries carry them: Type and Value (binary in base64). */
function messageAttributes(wire: Record<string, WireAttribute>): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(wire)) {
    if (!/^(String|Number|Binary)(\..+)?$/.test(a.DataType)) throw invalidParameter(`Invalid parameter: MessageAttributes: the data type of ${name} must be String, Number or Binary`);
    const binary = a.BinaryValue === undefined ? undefined : typeof a.BinaryValue === 'string' ? a.BinaryValue : Buffer.from(a.BinaryValue).toString('base64');
    const value = a.DataType.startsWith('Binary') ? binary : a.StringValue;
    if (value === undefined) throw invalidParameter(`Invalid parameter: MessageAttributes: the message attribute '${name}' must contain non-empty message attribute value`);
    out[name] = { Type: a.DataType, Value: value };
  }
  return out;
}
