import { ACCESS_DENIED, type AuthorizationTable, type Input } from '../table.js';

/*
 * Elastic Load Balancing v2 (prefix `elasticloadbalancing`). The Describe* operations have no
 * resource-level permissions and act on `*`, as do CreateLoadBalancer and CreateTargetGroup (the
 * ARN is not drawn yet). The others act on the ARN they name, the most specific first: the rule,
 * the listener (CreateRule, the listener certificates), the target group (RegisterTargets…), the
 * load balancer (CreateListener…); AddTags and RemoveTags on each of ResourceArns,
 * SetRulePriorities on each rule.
 */
export const ELBV2_AUTHORIZATION: AuthorizationTable = {
  prefix: 'elasticloadbalancing',
  denial: ACCESS_DENIED,
  resources: {
    AddTags: (input: Input) => input.ResourceArns ?? [],
    RemoveTags: (input: Input) => input.ResourceArns ?? [],
    SetRulePriorities: (input: Input) => ((input.RulePriorities ?? []) as { RuleArn?: string }[]).map((p) => p.RuleArn),
  },
  fallback: (input: Input, _scope, operation) => (operation.startsWith('Describe') ? [] : [input.RuleArn ?? input.ListenerArn ?? input.TargetGroupArn ?? input.LoadBalancerArn]),
};
