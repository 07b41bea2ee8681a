import type { RunTaskRequest } from '@aws-sdk/client-ecs';
import { invalidParameter, invalidRequest } from '../../lib/errors.js';
import { checkCapacityProviderStrategy } from '../../placement/capacity-split.js';
import { checkPlacement, type PlacementRules } from '../../placement/placement-rules.js';
import type { PlacementConstraintInput, PlacementStrategyInput } from '../../placement/types.js';
import type { LaunchGroup } from './placement.js';
import { given, refuseNotActedOn } from '../not-acted-on.js';
import { TaskDefinitionStatus, type TaskDefinitionRecord } from '../task-definitions/task-definition.js';

/**
 * Checks a RunTask request against ECS's rules that need the task definition and the launch
 * groups its count splits into (see placement.ts). Returns the placement rules, compiled once: the
 * task definition's constraints together with the request's (ECS applies both), and its strategy.
 */
export function checkRunTask(
  input: RunTaskRequest,
  td: TaskDefinitionRecord,
  groups: readonly LaunchGroup[],
  clusterProviders: readonly string[],
  forService = false,
): PlacementRules {
  refuseNotActedOn([
    ['enableExecuteCommand (ECS Exec)', input.enableExecuteCommand === true],
    ['volumeConfigurations', given(input.volumeConfigurations)],
    ['overrides.inferenceAcceleratorOverrides', given(input.overrides?.inferenceAcceleratorOverrides)],
    ['overrides.ephemeralStorage', given(input.overrides?.ephemeralStorage)],
  ]);
  const count = input.count ?? 1;
  if (count < 1 || count > 10) throw invalidParameter('The count must be between 1 and 10.');
  if (input.launchType && input.capacityProviderStrategy?.length) {
    throw invalidParameter(
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
  }
  if (td.status !== TaskDefinitionStatus.Active && !forService) throw invalidRequest('TaskDefinition is inactive');
  if (input.capacityProviderStrategy?.length) {
    checkCapacityProviderStrategy(input.capacityProviderStrategy.map((s) => ({ capacityProvider: s.capacityProvider ?? '', base: s.base ?? 0, weight: s.weight ?? 0 })));
    for (const s of input.capacityProviderStrategy) {
      if (!clusterProviders.includes(s.capacityProvider ?? '')) {
        throw invalidParameter('The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.');
      }
    }
  }
  const rules = checkPlacement(
    [...(td.placementConstraints ?? []), ...(input.placementConstraints ?? [])] as PlacementConstraintInput[],
    (input.placementStrategy ?? []) as PlacementStrategyInput[],
  );
  if (input.launchType && !['FARGATE', 'EC2'].includes(input.launchType)) {
    throw invalidParameter(`The launch type ${input.launchType} is not supported by this cluster.`);
  }
  if (groups.some((g) => g.launchType === 'FARGATE') && !(td.compatibilities ?? []).includes('FARGATE')) {
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
  return rules;
}
