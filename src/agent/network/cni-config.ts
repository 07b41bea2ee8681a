import { CNI_VERSION, type CniNetworkConfigList } from './cni-types.js';
import { firstHost, formatIpv4, formatSubnet, type Ipv4Subnet } from './ipv4.js';
import type { TaskPortMapping } from './network-manager.js';

/**
 * The host address published ports are bound to by default: tasks are reachable from this host
 * only. An agent host known to the cluster by another address publishes on that one instead, as
 * an EC2 instance's host ports answer on its private address.
 */
export const PUBLISH_HOST_IP = '127.0.0.1';

/** What minato's task network looks like on the host. */
export interface BridgeNetworkSettings {
  /** The CNI network name; it also names host-local's lease directory and portmap's rule comments. */
  networkName: string;
  /** The Linux bridge the tasks' veths attach to (at most 15 characters). */
  bridge: string;
  subnet: Ipv4Subnet;
  /** host-local keeps one file per leased address under `<ipamDataDir>/<networkName>/`. */
  ipamDataDir: string;
  /**
   * Give tasks a default route via the bridge, for traffic leaving the subnet. Its masquerade is
   * one rule per bridge (host-firewall.ts), not the bridge plugin's chain per task, which costs
   * several iptables runs on every task's setup and teardown.
   */
  outboundNat: boolean;
}

/**
 * The task network: the bridge plugin (creating the bridge on first use, with the subnet's first
 * address as gateway, and a veth into the task's namespace) with host-local addresses, then
 * portmap for published ports.
 */
export function taskNetworkConfig(s: BridgeNetworkSettings, options: { publishesPorts?: boolean } = {}): CniNetworkConfigList {
  return {
    cniVersion: CNI_VERSION,
    name: s.networkName,
    plugins: [
      {
        type: 'bridge',
        bridge: s.bridge,
        // The bridge holds the gateway address, which is also what makes the host reach the tasks.
        isGateway: true,
        isDefaultGateway: s.outboundNat,
        ipMasq: false,
        ipam: {
          type: 'host-local',
          dataDir: s.ipamDataDir,
          ranges: [[{ subnet: formatSubnet(s.subnet), gateway: formatIpv4(firstHost(s.subnet)) }]],
        },
      },
      // portmap only for tasks that publish host ports: it costs two plugin runs and a global
      // lock per task, and a task's saved list is what DEL runs later, so both stay consistent.
      ...(options.publishesPorts === false ? [] : [{ type: 'portmap', capabilities: { portMappings: true } }]),
    ],
  };
}

/** The loopback network: brings `lo` up inside the namespace (run with interface name `lo`). */
export function loopbackConfig(): CniNetworkConfigList {
  return { cniVersion: CNI_VERSION, name: 'minato-loopback', plugins: [{ type: 'loopback' }] };
}

/** A `portMappings` capability entry (CNI conventions), as the portmap plugin reads it. */
export interface CniPortMapping {
  hostPort: number;
  containerPort: number;
  protocol: string;
  hostIP: string;
}

/** The capability argument for the task's published ports: only mappings with a host port, bound to `hostIP`. */
export function portMappingArgs(mappings: readonly TaskPortMapping[], hostIP: string = PUBLISH_HOST_IP): CniPortMapping[] {
  return mappings
    .filter((m): m is TaskPortMapping & { hostPort: number } => m.hostPort !== undefined)
    .map((m) => ({ hostPort: m.hostPort, containerPort: m.containerPort, protocol: m.protocol, hostIP }));
}

/** A CNI name (network name or container id): alphanumeric first, then alphanumerics, `_`, `.` or `-`. */
export const CNI_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** A Linux interface name: 1 to 15 characters, no `/`, `:`, or white space. */
export const INTERFACE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;
