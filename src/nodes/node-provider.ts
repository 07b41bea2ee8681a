/**
 * The port the provisioning loop launches capacity through: a provider of nodes (machines that
 * run a `minato agent` and join a cluster as container instances of a capacity provider's group).
 */
import type { Arch, CapacityType } from '../capacity/types.js';

/** What one node should be: where it joins, which group it belongs to, and its planned size. */
export interface NodeSpec {
  clusterArn: string;
  region: string;
  /** The capacity provider that asked for it, and the Auto Scaling group name its agent carries. */
  providerName: string;
  group: string;
  instanceType: string;
  zone: string;
  capacityType: CapacityType;
  /** What the agent offers to tasks: CPU units (1024 per vCPU) and MiB. */
  cpu: number;
  memoryMiB: number;
}

/** A node the provider runs (launching or joined). */
export interface NodeInfo extends NodeSpec {
  /** Unique id; the agent carries it as the `minato.node` attribute. */
  id: string;
  /** Epoch ms of the launch. */
  launchedAt: number;
}

/** The attribute by which a container instance is told to be a given node. */
export const NODE_ATTRIBUTE = 'minato.node';

/** Launches and removes nodes. */
export interface NodeProvider {
  /** CPU architectures the provider's nodes can run (plans use only offerings of these). */
  readonly architectures: readonly Arch[];
  /** How many nodes the provider runs at most, over all groups. */
  readonly maxNodes: number;
  /** Nodes running now (processes that died are left out). */
  nodes(): NodeInfo[];
  /** Starts a node; resolves once it is started (not necessarily joined). */
  launch(spec: NodeSpec): Promise<NodeInfo>;
  /** Stops a node and removes what it left behind. */
  terminate(id: string): Promise<void>;
}
