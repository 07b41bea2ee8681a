import type { CreateServiceRequest, DeploymentConfiguration, UpdateServiceRequest } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../../lib/errors.js';
import { given, refuseNotActedOn } from '../not-acted-on.js';
import { checkPlacement } from '../../placement/placement-rules.js';
import type { PlacementConstraintInput, PlacementStrategyInput } from '../../placement/types.js';
import { SchedulingStrategy, SERVICE_NAME } from './service.js';

/** ECS's words for the members a DAEMON service cannot have. */
export const DAEMON_MESSAGES = {
  desiredCount: 'The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again',
  placementStrategy: 'The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again',
  capacityProviders: 'Specifying a capacity provider strategy is not supported when you create a service using the DAEMON scheduling strategy.',
  fargate: 'The daemon scheduling strategy is not supported for tasks using the FARGATE launch type.',
} as const;

/** Checks the members of a CreateService request that need no other resource, as ECS does. */
export function checkCreateService(input: CreateServiceRequest): SchedulingStrategy {
  if (!SERVICE_NAME.test(input.serviceName ?? '')) {
    throw invalidParameter('Service name is invalid. Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.');
  }
  const strategy = (input.schedulingStrategy ?? SchedulingStrategy.Replica) as SchedulingStrategy;
  if (input.taskDefinition === undefined || input.taskDefinition === '') {
    throw invalidParameter('TaskDefinition must be specified.');
  }
  if (strategy === SchedulingStrategy.Daemon) {
    if (input.desiredCount !== undefined) throw invalidParameter(DAEMON_MESSAGES.desiredCount);
    if (input.placementStrategy?.length) throw invalidParameter(DAEMON_MESSAGES.placementStrategy);
    if (input.capacityProviderStrategy?.length) throw invalidParameter(DAEMON_MESSAGES.capacityProviders);
    if (input.launchType === 'FARGATE') throw invalidParameter(DAEMON_MESSAGES.fargate);
  } else if (input.desiredCount === undefined) {
    throw invalidParameter('The desired count must be specified for a service that uses the REPLICA scheduling strategy.');
  }
  checkCommon(input);
  if (input.deploymentController?.type !== undefined && input.deploymentController.type !== 'ECS') {
    throw invalidParameter(`The deployment controller type ${input.deploymentController.type} is not supported.`);
  }
  return strategy;
}

/** Checks the members of an UpdateService request for a service of `strategy`. */
export function checkUpdateService(input: UpdateServiceRequest, strategy: SchedulingStrategy): void {
  if (strategy === SchedulingStrategy.Daemon) {
    if (input.desiredCount !== undefined) throw invalidParameter(DAEMON_MESSAGES.desiredCount);
    if (input.placementStrategy?.length) throw invalidParameter(DAEMON_MESSAGES.placementStrategy);
    if (input.capacityProviderStrategy?.length) throw invalidParameter(DAEMON_MESSAGES.capacityProviders);
  }
  checkCommon(input);
}

/** Rules CreateService and UpdateService share. */
function checkCommon(input: CreateServiceRequest | UpdateServiceRequest): void {
  refuseWhatIsNotActedOn(input);
  if (input.desiredCount !== undefined && input.desiredCount < 0) {
    throw invalidParameter('The desired count must be greater than or equal to 0.');
  }
  if ('launchType' in input && input.launchType && input.capacityProviderStrategy?.length) {
    throw invalidParameter('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.');
  }
  checkPlacement(
    (input.placementConstraints ?? []) as PlacementConstraintInput[],
    (input.placementStrategy ?? []) as PlacementStrategyInput[],
  );
  if (input.healthCheckGracePeriodSeconds !== undefined && (input.healthCheckGracePeriodSeconds < 0 || input.healthCheckGracePeriodSeconds > 2147483647)) {
    throw invalidParameter('healthCheckGracePeriodSeconds must be between 0 and 2147483647.');
  }
  checkDeploymentConfiguration(input.deploymentConfiguration);
}

/** minimumHealthyPercent 0–100; maximumPercent at least 100 and above the minimum. */
function checkDeploymentConfiguration(config: DeploymentConfiguration | undefined): void {
  if (!config) return;
  const { minimumHealthyPercent: min, maximumPercent: max } = config;
  if (min !== undefined && (min < 0 || min > 100)) {
    throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  }
  if (max !== undefined && max < 0) throw invalidParameter('maximumPercent must be greater than or equal to 0.');
  if (config.deploymentCircuitBreaker && (config.deploymentCircuitBreaker.enable === undefined || config.deploymentCircuitBreaker.rollback === undefined)) {
    throw invalidParameter('deploymentCircuitBreaker requires both enable and rollback.');
  }
}

/** Members of CreateService and UpdateService this endpoint does not act on yet. */
function refuseWhatIsNotActedOn(input: CreateServiceRequest | UpdateServiceRequest): void {
  const config = input.deploymentConfiguration;
  refuseNotActedOn([
    ['role', 'role' in input && given(input.role)],
    ['serviceConnectConfiguration', given(input.serviceConnectConfiguration)],
    ['volumeConfigurations', given(input.volumeConfigurations)],
    ['vpcLatticeConfigurations', given(input.vpcLatticeConfigurations)],
    ['enableExecuteCommand (ECS Exec)', input.enableExecuteCommand === true],
    ['availabilityZoneRebalancing ENABLED (tasks are spread over zones when placed, not moved afterwards)', input.availabilityZoneRebalancing === 'ENABLED'],
    ['deploymentConfiguration.alarms', given(config?.alarms)],
    ['deploymentConfiguration.strategy other than ROLLING', given(config?.strategy) && config?.strategy !== 'ROLLING'],
    ['deploymentConfiguration.bakeTimeInMinutes', given(config?.bakeTimeInMinutes)],
    ['deploymentConfiguration.lifecycleHooks', given(config?.lifecycleHooks)],
    ['deploymentConfiguration.linearConfiguration', given(config?.linearConfiguration)],
    ['deploymentConfiguration.canaryConfiguration', given(config?.canaryConfiguration)],
  ]);
}
