import type { CapacityProviderStrategyItem, RunTaskRequest } from '@aws-sdk/client-ecs';
import { invalidParameter, invalidRequest } from '../../lib/errors.js';
import { TaskDefinitionStatus, type TaskDefinitionRecord } from '../task-definitions/task-definition.js';

/** The launch type a RunTask request resolves to, and the capacity provider if one chose it. */
export interface LaunchChoice {
  launchType: 'FARGATE' | 'EC2';
  capacityProviderName?: string;
}

/** ECS's built-in Fargate capacity providers. */
const FARGATE_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);

/**
 * Checks a RunTask request against ECS's rules that need the task definition, and picks the
 * launch type: the request's, else the first provider of its (or the cluster's default) strategy,
 * else EC2.
 */
export function checkRunTask(
  input: RunTaskRequest,
  td: TaskDefinitionRecord,
  clusterStrategy: readonly CapacityProviderStrategyItem[],
): LaunchChoice {
  const count = input.count ?? 1;
  if (count < 1 || count > 10) throw invalidParameter('The count must be between 1 and 10.');
  if (input.launchType && input.capacityProviderStrategy?.length) {
    throw invalidParameter(
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
  }
  if (td.status !== TaskDefinitionStatus.Active) throw invalidRequest('TaskDefinition is inactive');
  const strategy = input.capacityProviderStrategy?.length ? input.capacityProviderStrategy : clusterStrategy;
  // Splitting a count across several providers by base and weight comes with capacity providers;
  // for now the first provider that takes tasks decides.
  const provider = input.launchType
    ? undefined
    : strategy.find((s) => (s.base ?? 0) > 0 || (s.weight ?? 0) > 0)?.capacityProvider;
  const choice: LaunchChoice = input.launchType
    ? { launchType: input.launchType === 'FARGATE' ? 'FARGATE' : 'EC2' }
    : provider
      ? { launchType: FARGATE_PROVIDERS.has(provider) ? 'FARGATE' : 'EC2', capacityProviderName: provider }
      : { launchType: 'EC2' };
  if (input.launchType && !['FARGATE', 'EC2'].includes(input.launchType)) {
    throw invalidParameter(`The launch type ${input.launchType} is not supported by this cluster.`);
  }
  if (choice.launchType === 'FARGATE' && !(td.compatibilities ?? []).includes('FARGATE')) {
    throw invalidRequest('Task definition does not support launch_type FARGATE.');
  }
  const awsvpc = td.networkMode === 'awsvpc';
  const vpc = input.networkConfiguration?.awsvpcConfiguration;
  if (awsvpc && !vpc) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  if (!awsvpc && vpc) {
    throw invalidParameter("Network Configuration is not valid for the given networkMode of this task definition.");
  }
  if (vpc && !(vpc.subnets ?? []).length) throw invalidParameter('subnets can not be empty.');
  if (vpc && (vpc.subnets ?? []).length > 16) throw invalidParameter('At most 16 subnets can be specified.');
  if (vpc && (vpc.securityGroups ?? []).length > 5) throw invalidParameter('At most 5 security groups can be specified.');
  const names = new Set((td.containerDefinitions ?? []).map((c) => c.name));
  for (const o of input.overrides?.containerOverrides ?? []) {
    if (!o.name || !names.has(o.name)) {
      throw invalidParameter(`Override for container named ${o.name ?? ''} is not a container in the TaskDefinition.`);
    }
  }
  if ((input.startedBy ?? '').length > 128) throw invalidParameter('startedBy must be at most 128 characters.');
  if (input.group !== undefined && !/^[a-zA-Z0-9_:.-]{1,255}$/.test(input.group)) {
    throw invalidParameter('Invalid group name. Up to 255 letters, numbers, hyphens, colons, periods and underscores are allowed.');
  }
  return choice;
}
