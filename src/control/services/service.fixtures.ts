import { newDeployment, withDefaults } from './rollout.js';
import { freshMemory, SchedulingStrategy, ServiceStatus, type ServiceRecord } from './service.js';
import type { TaskView } from './task-view.js';

/** A stored service for the scheduler's unit tests: one PRIMARY deployment of `td:1`. */
export function serviceFixture(o: {
  desired?: number;
  min?: number;
  max?: number;
  strategy?: SchedulingStrategy;
  breaker?: { enable: boolean; rollback: boolean };
  now?: number;
} = {}): ServiceRecord {
  const strategy = o.strategy ?? SchedulingStrategy.Replica;
  const s: ServiceRecord = {
    serviceArn: 'arn:aws:ecs:us-east-1:000000000000:service/c/web',
    serviceName: 'web',
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/c',
    region: 'us-east-1',
    status: ServiceStatus.Active,
    desiredCount: o.desired ?? 2,
    runningCount: 0,
    pendingCount: 0,
    launchType: 'FARGATE',
    taskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/td:1',
    deploymentConfiguration: withDefaults(
      {
        ...(o.min !== undefined && { minimumHealthyPercent: o.min }),
        ...(o.max !== undefined && { maximumPercent: o.max }),
        ...(o.breaker && { deploymentCircuitBreaker: o.breaker }),
      },
      strategy,
    ),
    deployments: [],
    events: [],
    placementConstraints: [],
    placementStrategy: [],
    schedulingStrategy: strategy,
    createdAt: o.now ?? 0,
    createdBy: 'arn:aws:iam::000000000000:root',
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    creationHash: '',
    scheduler: freshMemory(),
    version: 1,
  };
  s.deployments = [newDeployment(s, 'ecs-svc/0000000000000000001', o.now ?? 0)];
  return s;
}

let serial = 0;

/** A task of a deployment in the given state. */
export function taskFixture(startedBy: string, lastStatus: string, extra: Partial<TaskView> = {}): TaskView {
  serial += 1;
  const id = serial.toString(16).padStart(32, '0');
  return {
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/c/${id}`,
    taskId: id,
    startedBy,
    lastStatus,
    desiredStatus: lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
    healthStatus: 'UNKNOWN',
    hasHealthCheck: false,
    createdAt: serial,
    ...extra,
  };
}
