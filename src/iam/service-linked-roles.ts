import { randomUUID } from 'node:crypto';
import type { Scope } from '../lib/scope.js';
import type { Store } from '../store/store.js';
import { SERVICE_LINKED_POLICY_PREFIX } from './aws-managed-policies.js';
import { invalidInput, noSuchEntity, roleNotFound } from './errors.js';
import { DELETION_TASKS, ROLES, entityKey, type DeletionTaskRecord, type RoleRecord } from './records.js';
import type { Roles } from './roles.js';

/**
 * Service-linked roles: the roles AWS services create for themselves, under
 * `/aws-service-role/<service>/`, trusting only that service and carrying its policy. Only the
 * services ECS set-ups reach for are known; deletion is immediate and reported as a task.
 */
interface LinkedService {
  roleName: string;
  policy: string;
  /** Whether the service lets callers add a suffix (most do not). */
  suffixAllowed: boolean;
}

const SERVICES: Readonly<Record<string, LinkedService>> = {
  'ecs.amazonaws.com': { roleName: 'AWSServiceRoleForECS', policy: 'AmazonECSServiceRolePolicy', suffixAllowed: false },
  'ecs.application-autoscaling.amazonaws.com': {
    roleName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
    policy: 'AWSApplicationAutoscalingECSServicePolicy',
    suffixAllowed: false,
  },
  'elasticloadbalancing.amazonaws.com': {
    roleName: 'AWSServiceRoleForElasticLoadBalancing',
    policy: 'AWSElasticLoadBalancingServiceRolePolicy',
    suffixAllowed: false,
  },
  'autoscaling.amazonaws.com': {
    roleName: 'AWSServiceRoleForAutoScaling',
    policy: 'AutoScalingServiceRolePolicy',
    suffixAllowed: true,
  },
};

export class ServiceLinkedRoles {
  constructor(
    private readonly store: Store,
    private readonly roles: Roles,
  ) {}

  async create(scope: Scope, input: { serviceName: string; description?: string; customSuffix?: string }): Promise<RoleRecord> {
    const service = Object.hasOwn(SERVICES, input.serviceName) ? SERVICES[input.serviceName]! : undefined;
    if (!service) throw invalidInput(`Invalid service name: ${input.serviceName}`);
    if (input.customSuffix !== undefined && !service.suffixAllowed) throw invalidInput(`Custom suffix is not allowed for ${input.serviceName}`);
    const name = input.customSuffix !== undefined ? `${service.roleName}_${input.customSuffix}` : service.roleName;
    const existing = await this.store.collection<RoleRecord>(ROLES).get(entityKey(scope.accountId, name));
    if (existing) throw invalidInput(`Service role name ${name} has been taken in this account, please try a different suffix.`);
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: input.serviceName }, Action: 'sts:AssumeRole' }],
    });
    // A role created through the API has the description it was given, none otherwise (the
    // service's own wording is for roles a service creates for itself).
    const description = input.description ?? '';
    return this.roles.create(scope, {
      name,
      path: `/aws-service-role/${input.serviceName}/`,
      assumeRolePolicyDocument: trust,
      ...(description !== '' && { description }),
      linkedService: input.serviceName,
      attachedPolicies: [`${SERVICE_LINKED_POLICY_PREFIX}${service.policy}`],
    });
  }

  async delete(scope: Scope, roleName: string): Promise<string> {
    return this.store.transaction(async (tx) => {
      const key = entityKey(scope.accountId, roleName);
      const role = await tx.collection<RoleRecord>(ROLES).get(key);
      if (!role) throw roleNotFound(roleName);
      if (!role.linkedService) throw invalidInput(`Role ${roleName} is not a service-linked role.`);
      await this.roles.checkDeletable(tx, scope, role);
      await tx.collection(ROLES).delete(key);
      const taskId = `task${role.path}${role.name}/${randomUUID()}`;
      await tx.collection<DeletionTaskRecord>(DELETION_TASKS).put(`${scope.accountId}/${taskId}`, { status: 'SUCCEEDED' });
      return taskId;
    });
  }

  async deletionStatus(scope: Scope, taskId: string): Promise<DeletionTaskRecord> {
    const task = await this.store.collection<DeletionTaskRecord>(DELETION_TASKS).get(`${scope.accountId}/${taskId}`);
    if (!task) throw noSuchEntity(`Deletion task ${taskId} cannot be found.`);
    return task;
  }
}
