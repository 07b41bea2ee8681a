/**
 * The CNI wire types minato uses, per the CNI specification 1.0.0 — the newest version the
 * standard plugins of release 1.1.1 support (their VERSION answer lists up to "1.0.0").
 */

/** The specification version minato speaks to plugins. */
export const CNI_VERSION = '1.0.0';

/** The commands of the execution protocol. */
export const CniCommand = { Add: 'ADD', Del: 'DEL', Check: 'CHECK', Version: 'VERSION' } as const;
/** One of {@link CniCommand}. */
export type CniCommand = (typeof CniCommand)[keyof typeof CniCommand];

/** One plugin's configuration inside a network configuration list. */
export interface CniPluginConfig {
  type: string;
  /** The capability arguments this plugin accepts in `runtimeConfig` (e.g. `portMappings`). */
  capabilities?: Record<string, boolean>;
  [key: string]: unknown;
}

/** A network configuration (spec section 1): a named list of plugins run in order. */
export interface CniNetworkConfigList {
  cniVersion: string;
  name: string;
  disableCheck?: boolean;
  plugins: CniPluginConfig[];
}

/** An interface of a success result. */
export interface CniInterface {
  name: string;
  mac?: string;
  /** The namespace path for interfaces inside the container; absent for host interfaces. */
  sandbox?: string;
}

/** An address of a success result. */
export interface CniIpConfig {
  /** CIDR notation, e.g. `10.213.0.5/16`. */
  address: string;
  gateway?: string;
  /** Index into `interfaces`. */
  interface?: number;
}

/** A success result (spec section 5). Unknown members are kept, so that DEL and CHECK get it whole. */
export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIpConfig[];
  routes?: Array<{ dst: string; gw?: string }>;
  dns?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The runtime's per-attachment parameters (spec section 3). */
export interface CniAttachment {
  containerId: string;
  /** The namespace path; empty on DEL when the namespace is already gone. */
  netns: string;
  ifName: string;
  /** `CNI_ARGS`, e.g. `IgnoreUnknown=1;K=V`. */
  args?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks that `value` has the shape of a success result; throws with what is wrong otherwise. */
export function parseCniResult(value: unknown): CniResult {
  if (!isObject(value) || typeof value.cniVersion !== 'string') throw new Error('CNI result without cniVersion');
  const { interfaces, ips } = value;
  if (interfaces !== undefined) {
    if (!Array.isArray(interfaces)) throw new Error('CNI result: interfaces is not a list');
    for (const i of interfaces as unknown[]) {
      if (!isObject(i) || typeof i.name !== 'string') throw new Error('CNI result: an interface has no name');
    }
  }
  if (ips !== undefined) {
    if (!Array.isArray(ips)) throw new Error('CNI result: ips is not a list');
    for (const ip of ips as unknown[]) {
      if (!isObject(ip) || typeof ip.address !== 'string') throw new Error('CNI result: an ip has no address');
    }
  }
  return value as CniResult;
}

/** The container interface named `ifName` in `netns` with its IPv4 configuration, if the result has one. */
export function containerIpv4(
  result: CniResult,
  ifName: string,
  netns: string,
): { iface: CniInterface; ip: CniIpConfig } | undefined {
  const interfaces = result.interfaces ?? [];
  const index = interfaces.findIndex((i) => i.name === ifName && i.sandbox === netns);
  if (index < 0) return undefined;
  const ip = (result.ips ?? []).find((c) => c.interface === index && !c.address.includes(':'));
  return ip ? { iface: interfaces[index]!, ip } : undefined;
}
