/** The parts of ECS's wire shapes the console shows (timestamps are epoch seconds on the wire). */

export interface Cluster {
  clusterArn: string;
  clusterName: string;
  status: string;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
  registeredContainerInstancesCount: number;
  capacityProviders?: string[];
  defaultCapacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
}

export interface Resource {
  name: string;
  type?: string;
  integerValue?: number;
}

export interface ContainerInstance {
  containerInstanceArn: string;
  ec2InstanceId?: string;
  status: string;
  agentConnected: boolean;
  runningTasksCount: number;
  pendingTasksCount: number;
  registeredResources?: Resource[];
  remainingResources?: Resource[];
  capacityProviderName?: string;
}

export interface Deployment {
  id: string;
  status: string;
  taskDefinition: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  failedTasks?: number;
  createdAt?: number;
  updatedAt?: number;
  rolloutState?: string;
  rolloutStateReason?: string;
  launchType?: string;
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface LoadBalancerRef {
  targetGroupArn?: string;
  containerName?: string;
  containerPort?: number;
}

export interface Service {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  status: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  launchType?: string;
  taskDefinition: string;
  deployments?: Deployment[];
  events?: ServiceEvent[];
  loadBalancers?: LoadBalancerRef[];
  createdAt?: number;
}

export interface NetworkBinding {
  bindIP?: string;
  containerPort?: number;
  hostPort?: number;
  protocol?: string;
}

export interface Container {
  containerArn?: string;
  name: string;
  image?: string;
  imageDigest?: string;
  lastStatus?: string;
  exitCode?: number;
  reason?: string;
  healthStatus?: string;
  networkBindings?: NetworkBinding[];
  networkInterfaces?: { privateIpv4Address?: string }[];
  cpu?: string;
  memory?: string;
  runtimeId?: string;
}

export interface Attachment {
  type?: string;
  status?: string;
  details?: { name: string; value: string }[];
}

export interface Task {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  lastStatus: string;
  desiredStatus: string;
  healthStatus?: string;
  launchType?: string;
  cpu?: string;
  memory?: string;
  group?: string;
  startedBy?: string;
  createdAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  containers?: Container[];
  attachments?: Attachment[];
  containerInstanceArn?: string;
  availabilityZone?: string;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  [key: string]: unknown;
}

export interface TaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: string;
  cpu?: string;
  memory?: string;
  networkMode?: string;
  containerDefinitions: ContainerDefinition[];
  registeredAt?: number;
  [key: string]: unknown;
}

export interface Failure {
  arn?: string;
  reason?: string;
}

/** The last part of an ARN: a cluster's or service's name, a task's id. */
export function arnName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** `family:revision` of a task definition ARN. */
export function familyRevision(arn: string): string {
  return arnName(arn);
}

/** A resource's integer value by name (CPU, MEMORY), 0 when absent. */
export function resourceValue(resources: readonly Resource[] | undefined, name: string): number {
  return resources?.find((r) => r.name === name)?.integerValue ?? 0;
}
