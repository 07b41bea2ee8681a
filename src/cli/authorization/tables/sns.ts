import { regional, type AuthorizationTable, type Input, type Resources } from '../table.js';

/*
 * SNS (prefix `sns`). The topic operations act on the topic's ARN: CreateTopic on the one its Name
 * makes, Unsubscribe on its subscription's topic, Publish on TopicArn or TargetArn. The tagging
 * operations on the ARN they name. On `*`: ListTopics, ListSubscriptions. Refusals are SNS's
 * AuthorizationError (403).
 */
const topic: Resources = (input: Input) => [input.TopicArn];
const tagged: Resources = (input: Input) => [input.ResourceArn];

export const SNS_AUTHORIZATION: AuthorizationTable = {
  prefix: 'sns',
  denial: { code: 'AuthorizationErrorException', status: 403 },
  resources: {
    CreateTopic: (input: Input, scope) => [regional('sns', scope, input.Name)],
    DeleteTopic: topic,
    GetTopicAttributes: topic,
    SetTopicAttributes: topic,
    Subscribe: topic,
    ConfirmSubscription: topic,
    ListSubscriptionsByTopic: topic,
    Unsubscribe: (input: Input) => {
      const arn: string = input.SubscriptionArn;
      return [arn.includes(':') ? arn.slice(0, arn.lastIndexOf(':')) : undefined];
    },
    Publish: (input: Input) => [input.TopicArn ?? input.TargetArn],
    TagResource: tagged,
    UntagResource: tagged,
    ListTagsForResource: tagged,
  },
};
