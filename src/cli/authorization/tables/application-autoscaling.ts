import { ACCESS_DENIED_EXCEPTION, type AuthorizationTable, type Input, type Resources } from '../table.js';

/*
 * Application Auto Scaling (prefix `application-autoscaling`). The tagging operations act on the
 * scalable target's ARN they name. The reference gives the scalable-target resource to more
 * actions, but requests name targets by service namespace, resource id and dimension, not by
 * their ARN (`scalable-target/<random id>`): those are authorised on `*`.
 */
const tagged: Resources = (input: Input) => [input.ResourceARN];

export const APPLICATION_AUTOSCALING_AUTHORIZATION: AuthorizationTable = {
  prefix: 'application-autoscaling',
  denial: ACCESS_DENIED_EXCEPTION,
  resources: { TagResource: tagged, UntagResource: tagged, ListTagsForResource: tagged },
};
