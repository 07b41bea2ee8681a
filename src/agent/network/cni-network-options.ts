import type { PortRange } from './host-ports.js';

/** How minato's task network is laid out on this host. */
export interface CniNetworkManagerOptions {
  /** Leases (`ipam/`) and saved results (`tasks/`) live here, e.g. `<data-dir>/network`. */
  stateDir: string;
  /** The Linux bridge; default `minato0`. */
  bridge?: string;
  /**
   * The tasks' subnet; default `10.213.0.0/16` (65,533 task addresses), inside 10/8 but away from
   * the ranges Docker (172.17/16 and up), Kubernetes distributions and home routers commonly take.
   */
  subnet?: string;
  /** The CNI network name; default the bridge name. */
  networkName?: string;
  /** Where the plugins are; default `/usr/lib/cni` (Debian's containernetworking-plugins). */
  cniPath?: string;
  /**
   * Masquerade tasks' traffic off the host and give them a default route; default true, as tasks
   * on AWS reach the outside through a NAT or internet gateway (false: tasks reach the host's
   * allowed services and each other only). The bridge plugin finds the address to unmasquerade
   * inside the namespace, so a namespace deleted behind minato's back leaves that one rule until reboot.
   */
  outboundNat?: boolean;
  /**
   * TCP ports of this host that tasks may reach on any host address, e.g. the minato endpoint's
   * (more with {@link CniNetworkManager.allowHostTcpPort}). Besides them tasks reach only DNS and
   * services bound to the bridge's gateway address (the metadata endpoint): see host-firewall.ts.
   */
  hostTcpPorts?: readonly number[];
  /**
   * Where dynamic host ports (`hostPort: 0`) come from, as the ECS agent's ECS_DYNAMIC_HOST_PORT_RANGE;
   * default the kernel's ephemeral range (net.ipv4.ip_local_port_range), else 49153-65535.
   */
  dynamicHostPorts?: PortRange;
  /** A plugin taking longer is killed; default 30 s. */
  pluginTimeoutMs?: number;
  /**
   * Network sandboxes (a namespace with its address and veth) kept ready for tasks that publish no
   * host ports, once {@link CniNetworkManager.startPool} is called; default 0, none.
   */
  sandboxPool?: number;
  /**
   * Makes sure a DNS server for tasks listens on the gateway address (UDP and TCP 53, which the
   * host firewall lets tasks reach) and tells whether it does; asked after each setup, once the
   * bridge holds the address. When it does, the task network names the gateway as nameserver.
   */
  gatewayDns?: (gateway: string) => Promise<boolean>;
  /**
   * The host address published ports are bound to; default 127.0.0.1 (this host only). An agent
   * publishes on the address the cluster knows it by, so that load balancers reach its instance targets.
   */
  publishAddress?: string;
  /**
   * Addresses of other hosts that may open connections to task addresses routed through this one
   * (the control host's load balancers and health checks); turns IP forwarding on and installs the
   * forward guard (host-firewall.ts) that refuses everyone else. Default: forwarding untouched.
   */
  admitFrom?: readonly string[];
}

/**
 * The sandboxes a host keeps ready (see {@link CniNetworkManagerOptions.sandboxPool}): enough for
 * the tasks of one RunTask call to start without waiting for the plugins, few enough that an idle
 * host holds only a handful of addresses and namespaces.
 */
export const DEFAULT_SANDBOX_POOL = 4;
