import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { rolloutReason } from './events.js';
import { DeploymentStatus, RolloutState, SchedulingStrategy, type DeploymentRecord, type ServiceRecord } from './service.js';

/** Defaults ECS applies: REPLICA 100/200, DAEMON 0/100. */
export function deploymentDefaults(strategy: SchedulingStrategy): { minimumHealthyPercent: number; maximumPercent: number } {
  return strategy === SchedulingStrategy.Daemon
    ? { minimumHealthyPercent: 0, maximumPercent: 100 }
    : { minimumHealthyPercent: 100, maximumPercent: 200 };
}

/** The deployment configuration with ECS's defaults filled in. */
export function withDefaults(config: DeploymentConfiguration | undefined, strategy: SchedulingStrategy): DeploymentConfiguration {
  const defaults = deploymentDefaults(strategy);
  return {
    deploymentCircuitBreaker: { enable: false, rollback: false },
    ...config,
    maximumPercent: config?.maximumPercent ?? defaults.maximumPercent,
    minimumHealthyPercent: config?.minimumHealthyPercent ?? defaults.minimumHealthyPercent,
  };
}

/**
 * The task bounds of a rolling update for `desired` tasks: at least ⌈desired × min%⌉ healthy,
 * at most ⌊desired × max%⌋ running or pending (never fewer than `desired`, so scaling out is
 * always possible).
 */
export function rolloutBounds(desired: number, config: DeploymentConfiguration): { minHealthy: number; maxTotal: number } {
  const min = config.minimumHealthyPercent ?? 100;
  const max = config.maximumPercent ?? 200;
  return {
    minHealthy: Math.ceil((desired * min) / 100),
    maxTotal: Math.max(desired, Math.floor((desired * max) / 100)),
  };
}

/** The circuit breaker's failure threshold: half the desired count, at least 3, at most 200. */
export const circuitBreakerThreshold = (desired: number): number => Math.min(200, Math.max(3, Math.ceil(desired * 0.5)));

/** A random deployment id as ECS makes them: `ecs-svc/` and 19 digits. */
export function randomDeploymentId(random: () => number = Math.random): string {
  let digits = String(1 + Math.floor(random() * 9));
  while (digits.length < 19) digits += String(Math.floor(random() * 10));
  return `ecs-svc/${digits}`;
}

/** A new PRIMARY deployment of the service's current settings, its rollout IN_PROGRESS. */
export function newDeployment(service: ServiceRecord, id: string, now: number): DeploymentRecord {
  return {
    id,
    status: DeploymentStatus.Primary,
    taskDefinition: service.taskDefinition,
    desiredCount: service.desiredCount,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    ...(service.launchType !== undefined && { launchType: service.launchType }),
    ...(service.capacityProviderStrategy && { capacityProviderStrategy: service.capacityProviderStrategy }),
    ...(service.launchType === 'FARGATE' && { platformVersion: resolvePlatformVersion(service.platformVersion), platformFamily: 'Linux' }),
    ...(service.networkConfiguration && { networkConfiguration: service.networkConfiguration }),
    ...(service.loadBalancers?.length && { loadBalancers: service.loadBalancers }),
    ...(service.serviceRegistries?.length && { serviceRegistries: service.serviceRegistries }),
    rolloutState: RolloutState.InProgress,
    rolloutStateReason: rolloutReason.inProgress(id),
  };
}

/** Fargate's LATEST platform version, as deployments show it resolved. */
export const resolvePlatformVersion = (v: string | undefined): string => (v === undefined || v === 'LATEST' ? '1.4.0' : v);

/** Makes `next` the PRIMARY deployment: the previous ones become ACTIVE. */
export function supersede(deployments: readonly DeploymentRecord[], next: DeploymentRecord): DeploymentRecord[] {
  return [next, ...deployments.map((d) => (d.status === DeploymentStatus.Primary ? { ...d, status: DeploymentStatus.Active } : d))];
}
