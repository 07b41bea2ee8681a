import type { Attribute, Tag } from '@aws-sdk/client-ecs';

/**
 * What an agent tells the control plane when it joins (or re-joins after a restart): the body of
 * the protocol's `register`, and what ECS's RegisterContainerInstance is translated into.
 */
export interface AgentRegistration {
  cluster: string;
  /** Set when re-joining: the instance it was before. */
  containerInstanceArn?: string;
  ec2InstanceId?: string;
  /** The agent's address or name; empty when unknown (the instance id then stands for it). */
  host: string;
  /**
   * The host's private IPv4 address, as the control host reaches it: where its published host
   * ports answer (instance targets) and the next hop toward its task subnet.
   */
  address?: string;
  /** The subnet (CIDR) its awsvpc and bridge tasks take their addresses from (ip targets). */
  taskSubnet?: string;
  agentVersion: string;
  attributes: Attribute[];
  cpu: number;
  memory: number;
  /** The zone and instance type ECS records as attributes (default `<region>a`, `minato.custom`). */
  availabilityZone?: string;
  instanceType?: string;
  /** `x86_64` or `arm64`; default: the architecture of the host the control plane runs on. */
  cpuArchitecture?: string;
  agentHash?: string;
  dockerVersion?: string;
  /** Reserved host ports; default ECS's agent default (22, 2375, 2376, 51678, 51679) for TCP, none for UDP. */
  reservedPorts?: string[];
  reservedUdpPorts?: string[];
  /** Tags for a new instance. */
  tags?: Tag[];
}
