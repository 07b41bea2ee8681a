import type { TaskFirewall } from '../../agent-contract/task-firewall.js';

/**
 * The task network contract: every ECS task gets its own network namespace, shared by its
 * containers, with one interface and one address on a minato bridge. awsvpc tasks are reached at
 * that address and publish nothing on the host; bridge and host mode tasks publish host ports.
 */

/** A transport protocol of a port mapping (ECS `TransportProtocol`). */
export const PortProtocol = { Tcp: 'tcp', Udp: 'udp' } as const;
/** One of {@link PortProtocol}. */
export type PortProtocol = (typeof PortProtocol)[keyof typeof PortProtocol];

/**
 * A container port of the task. With `hostPort` it is also published on 127.0.0.1 of the host;
 * `hostPort: 0` publishes it on a free port of the dynamic range, as ECS's bridge mode does.
 */
export interface TaskPortMapping {
  containerPort: number;
  hostPort?: number;
  protocol: PortProtocol;
}

/** A published port as DescribeTasks shows it (ECS `NetworkBinding`). */
export interface TaskPortBinding {
  bindIP: string;
  containerPort: number;
  hostPort: number;
  protocol: PortProtocol;
}

/** What a task needs from the network. */
export interface TaskNetworkRequest {
  /** Names the network namespace (`minato-<taskId>`) and is the CNI container id. */
  taskId: string;
  /** Mappings with a `hostPort` are published on 127.0.0.1 only (0: a dynamic one); the others need nothing. */
  portMappings: TaskPortMapping[];
  /** The task's host name; defaults to its private DNS name, as on Fargate. */
  hostname?: string;
  /** The task's region, for its private DNS name (`ec2.internal` in us-east-1, else `<region>.compute.internal`). */
  region?: string;
  /** What the task's security groups allow (awsvpc tasks whose groups are enforced); its traffic is not filtered when absent. */
  firewall?: TaskFirewall;
}

/** The network a task got: what DescribeTasks and the task metadata endpoint report. */
export interface TaskNetwork {
  /** The network namespace to join, e.g. `/var/run/netns/minato-<taskId>`. */
  netnsPath: string;
  /** The task's address, e.g. `10.213.0.5`. */
  ipv4Address: string;
  /** The bridge's subnet, e.g. `10.213.0.0/16`. */
  subnetCidr: string;
  /** The bridge's address, the task's gateway. */
  gateway: string;
  /** The MAC address of the task's interface. */
  macAddress: string;
  /** The task's interface inside the namespace: always `eth0`. */
  interfaceName: string;
  /** ECS-style DNS name of the address, e.g. `ip-10-213-0-5.ec2.internal`. */
  privateDnsName: string;
  /** A stable ENI id derived from the task id (`eni-` and 17 hex digits), as DescribeTasks shows. */
  networkInterfaceId: string;
  /** The host name the task's containers should get. */
  hostname: string;
  /** The host ports published for the task, dynamic ones resolved, in the request's order; absent when none are. */
  portBindings?: TaskPortBinding[];
  /**
   * The task's resolver when the platform serves DNS on the gateway (the VPC resolver of an
   * awsvpc task: private DNS namespaces, the rest forwarded); absent otherwise. Not persisted:
   * each setup tells whether the server listens.
   */
  nameservers?: string[];
}

/** Sets up and tears down task networks; the agent's port to the host's networking. */
export interface NetworkManager {
  /** Gives the task its network; calling it again for the same task returns the same network. */
  setup(req: TaskNetworkRequest): Promise<TaskNetwork>;
  /** Removes everything setup made (namespace, veth, address lease, iptables rules); a no-op when nothing is left. */
  teardown(taskId: string): Promise<void>;
  /** The tasks that have network state now, including networks made before a restart. */
  list(): Promise<string[]>;
  /**
   * Replaces what a task's security groups allow on its network (`undefined` lifts the filtering);
   * false when the task has no network (yet). Absent where groups are not enforced.
   */
  setFirewall?(taskId: string, firewall: TaskFirewall | undefined): Promise<boolean>;
}
