import type { Scope } from '../../../lib/scope.js';
import { ACCESS_DENIED_EXCEPTION, each, lastSegment, nameOrArn, regional, type AuthorizationTable, type Input } from '../table.js';

/*
 * ECS (prefix `ecs`). Resource-level actions, after the Service Authorization Reference:
 *   cluster            DescribeClusters (each; `default` when none), UpdateCluster, UpdateClusterSettings,
 *                      PutClusterCapacityProviders, DeleteCluster, RegisterContainerInstance,
 *                      DeregisterContainerInstance, ListContainerInstances, ListAttributes
 *   task-definition    RunTask, StartTask (a family without revision as `family:*`, as minato
 *                      does not resolve the latest revision before authorising)
 *   task               StopTask, DescribeTasks, UpdateTaskProtection, GetTaskProtection (each)
 *   service            CreateService, UpdateService, DeleteService, DescribeServices (each)
 *   container-instance DescribeContainerInstances, UpdateContainerInstancesState (each)
 *   capacity-provider  DescribeCapacityProviders (each), UpdateCapacityProvider, DeleteCapacityProvider
 *   any ARN            TagResource, UntagResource, ListTagsForResource
 * On `*`: CreateCluster, ListClusters, RegisterTaskDefinition, DescribeTaskDefinition,
 * ListTaskDefinitions, ListTaskDefinitionFamilies, DeregisterTaskDefinition, the account settings,
 * ListServices, ListServicesByNamespace. Unsure, so on `*` too: ListTasks (the reference names
 * container-instance), DeleteTaskDefinitions, CreateCapacityProvider, PutAttributes, DeleteAttributes.
 * Condition key `ecs:cluster`: the cluster's ARN, for the operations that run in a cluster (the
 * `default` cluster when the request names none), so that `ArnEquals: {ecs:cluster: …}` can
 * confine RunTask or UpdateService to one cluster.
 */

const ecs = (scope: Scope, resource: string) => regional('ecs', scope, resource);
const clusterName = (input: Input): string => (input.cluster === undefined || input.cluster === '' ? 'default' : lastSegment(input.cluster as string));
const cluster = (input: Input, scope: Scope) => [nameOrArn(input.cluster || 'default', (name) => ecs(scope, `cluster/${name}`))];
/** A resource that lives in a cluster, named by id or ARN (`task/<cluster>/<id>`). */
const inCluster = (kind: string, input: Input, scope: Scope) => (id: string) => nameOrArn(id, (name) => ecs(scope, `${kind}/${clusterName(input)}/${name}`));
const taskDefinition = (input: Input, scope: Scope) => [
  nameOrArn(input.taskDefinition, (name) => ecs(scope, `task-definition/${name.includes(':') ? name : `${name}:*`}`)),
];
const capacityProvider = (scope: Scope) => (name: string) => nameOrArn(name, (n) => ecs(scope, `capacity-provider/${n}`));
const tagged = (input: Input) => [input.resourceArn];

const IN_A_CLUSTER = new Set([
  'UpdateCluster',
  'UpdateClusterSettings',
  'PutClusterCapacityProviders',
  'DeleteCluster',
  'RunTask',
  'StartTask',
  'StopTask',
  'DescribeTasks',
  'UpdateTaskProtection',
  'GetTaskProtection',
  'ListTasks',
  'RegisterContainerInstance',
  'DescribeContainerInstances',
  'ListContainerInstances',
  'UpdateContainerInstancesState',
  'DeregisterContainerInstance',
  'PutAttributes',
  'DeleteAttributes',
  'ListAttributes',
  'CreateService',
  'UpdateService',
  'DeleteService',
  'DescribeServices',
  'ListServices',
]);

export const ECS_AUTHORIZATION: AuthorizationTable = {
  prefix: 'ecs',
  denial: ACCESS_DENIED_EXCEPTION,
  context: (input, scope, operation) => (IN_A_CLUSTER.has(operation) ? { 'ecs:cluster': cluster(input, scope).filter((c): c is string => c !== undefined) } : undefined),
  resources: {
    DescribeClusters: (input, scope) => {
      const names: string[] = input.clusters?.length ? input.clusters : ['default'];
      return names.map((c) => nameOrArn(c, (name) => ecs(scope, `cluster/${name}`)));
    },
    UpdateCluster: cluster,
    UpdateClusterSettings: cluster,
    PutClusterCapacityProviders: cluster,
    DeleteCluster: cluster,
    RegisterContainerInstance: cluster,
    DeregisterContainerInstance: cluster,
    ListContainerInstances: cluster,
    ListAttributes: cluster,
    RunTask: taskDefinition,
    StartTask: taskDefinition,
    StopTask: (input, scope) => [inCluster('task', input, scope)(input.task)],
    DescribeTasks: (input, scope) => each(input.tasks, inCluster('task', input, scope)),
    UpdateTaskProtection: (input, scope) => each(input.tasks, inCluster('task', input, scope)),
    GetTaskProtection: (input, scope) => each(input.tasks, inCluster('task', input, scope)),
    CreateService: (input, scope) => [inCluster('service', input, scope)(input.serviceName)],
    UpdateService: (input, scope) => [inCluster('service', input, scope)(input.service)],
    DeleteService: (input, scope) => [inCluster('service', input, scope)(input.service)],
    DescribeServices: (input, scope) => each(input.services, inCluster('service', input, scope)),
    DescribeContainerInstances: (input, scope) => each(input.containerInstances, inCluster('container-instance', input, scope)),
    UpdateContainerInstancesState: (input, scope) => each(input.containerInstances, inCluster('container-instance', input, scope)),
    DescribeCapacityProviders: (input, scope) => each(input.capacityProviders, capacityProvider(scope)),
    UpdateCapacityProvider: (input, scope) => [capacityProvider(scope)(input.name)],
    DeleteCapacityProvider: (input, scope) => [capacityProvider(scope)(input.capacityProvider)],
    TagResource: tagged,
    UntagResource: tagged,
    ListTagsForResource: tagged,
  },
};
