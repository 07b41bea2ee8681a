/** What minato keeps of a topic. */
export interface TopicRecord {
  readonly arn: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly tags: ReadonlyArray<{ Key: string; Value: string }>;
}

/** What minato keeps of a subscription; `confirmed` false until the endpoint confirms. */
export interface SubscriptionRecord {
  readonly arn: string;
  readonly topicArn: string;
  readonly protocol: 'http' | 'https';
  readonly endpoint: string;
  readonly owner: string;
  readonly token: string;
  readonly confirmed: boolean;
  /** RawMessageDelivery: notifications are POSTed as the bare message, not SNS's JSON envelope. */
  readonly rawMessageDelivery?: boolean;
  /**
   * Set by a signed ConfirmSubscription with AuthenticateOnUnsubscribe=true: only a signed
   * Unsubscribe removes the subscription, not the unsigned UnsubscribeURL.
   */
  readonly authenticateOnUnsubscribe?: boolean;
}

export const TOPICS = 'sns-topics';
export const SUBSCRIPTIONS = 'sns-subscriptions';

/** The attributes a topic may be created or updated with. */
export const SETTABLE_ATTRIBUTES = ['DisplayName', 'Policy', 'DeliveryPolicy'] as const;

/**
 * Delivery status logging (to CloudWatch Logs through an IAM role) per protocol. minato does not
 * log delivery statuses, so only the defaults are accepted: no role, sample rate 0 — what
 * Terraform's aws_sns_topic sends when none is configured. Defaults are not stored (SNS returns
 * these attributes only when set).
 */
const DELIVERY_STATUS_ATTRIBUTES = new Set(
  ['Application', 'Firehose', 'HTTP', 'Lambda', 'SQS'].flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]),
);

/** Whether this is a delivery status attribute, and if so whether its value is the default. */
export function deliveryStatusDefault(name: string, value: string): boolean | undefined {
  if (!DELIVERY_STATUS_ATTRIBUTES.has(name)) return undefined;
  return value === '' || (name.endsWith('SampleRate') && Number(value) === 0 && value.trim() !== '');
}

/** The policy SNS gives a topic created without one. */
export function defaultTopicPolicy(topicArn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}
