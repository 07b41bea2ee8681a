import type { Store } from '../../store/store.js';
import type { ClusterCounts } from './cluster.js';

/**
 * Collections of what runs in a cluster, keyed by `<clusterArn>/<id>`. The task runner, the
 * service scheduler and container instance registration write them; clusters only count.
 */
export const CLUSTER_MEMBERS = {
  tasks: 'ecs-tasks',
  services: 'ecs-services',
  containerInstances: 'ecs-container-instances',
} as const;

interface MemberStatus {
  lastStatus?: string;
  status?: string;
  launchType?: string;
}

/** Counts the tasks, services and container instances of a cluster. */
export async function countClusterActivity(store: Store, clusterArn: string): Promise<ClusterCounts> {
  return (await readClusterActivity(store, clusterArn)).counts;
}

/** Counts, plus the per-launch-type statistics DescribeClusters reports with `include: STATISTICS`. */
export async function readClusterActivity(
  store: Store,
  clusterArn: string,
): Promise<{ counts: ClusterCounts; statistics: Array<{ name: string; value: string }> }> {
  // One read for the three (one round trip on a server database).
  const [tasks, services, instances] = (
    await store.listAcross<MemberStatus>([CLUSTER_MEMBERS.tasks, CLUSTER_MEMBERS.services, CLUSTER_MEMBERS.containerInstances], `${clusterArn}/`)
  ).map((list) => list.map((e) => e.value)) as [MemberStatus[], MemberStatus[], MemberStatus[]];
  const running = tasks.filter((t) => t.lastStatus === 'RUNNING');
  const pending = tasks.filter((t) => t.lastStatus !== 'RUNNING' && t.lastStatus !== 'STOPPED');
  const active = services.filter((s) => s.status === 'ACTIVE');
  const draining = services.filter((s) => s.status === 'DRAINING');
  const fargate = (m: MemberStatus) => m.launchType === 'FARGATE';
  const ec2 = (m: MemberStatus) => !fargate(m);
  const stat = (name: string, list: MemberStatus[], of: (m: MemberStatus) => boolean) => ({
    name,
    value: String(list.filter(of).length),
  });
  return {
    counts: {
      runningTasksCount: running.length,
      pendingTasksCount: pending.length,
      activeServicesCount: active.length,
      registeredContainerInstancesCount: instances.filter((i) => i.status !== 'INACTIVE').length,
    },
    statistics: [
      stat('runningEC2TasksCount', running, ec2),
      stat('runningFargateTasksCount', running, fargate),
      stat('pendingEC2TasksCount', pending, ec2),
      stat('pendingFargateTasksCount', pending, fargate),
      stat('activeEC2ServiceCount', active, ec2),
      stat('activeFargateServiceCount', active, fargate),
      stat('drainingEC2ServiceCount', draining, ec2),
      stat('drainingFargateServiceCount', draining, fargate),
    ],
  };
}
