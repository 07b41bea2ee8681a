import { isIP } from 'node:net';
import { isAbsolute, resolve, sep } from 'node:path';
import { parseSubnet } from '../elb/addresses.js';
import { REGION_NAME } from '../server/regions.js';

/** How `minato up` is configured: flags, else environment variables, else these defaults. */
export interface PlatformConfig {
  host: string;
  port: number;
  dataDir: string;
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The Linux bridge tasks attach to, and the subnet their addresses come from. */
  taskBridge: string;
  taskSubnet: string;
  /** Region names served besides the AWS partition's (`--extra-regions`). */
  extraRegions?: string[];
  /** Simulated nodes for managed-scaling capacity providers (`--local-nodes`); off when absent. */
  localNodes?: LocalNodesConfig;
  /** How many times its CPU units this host admits in Fargate tasks (`--fargate-cpu-overcommit`); the planner's default when absent. */
  fargateCpuOvercommit?: number;
  /** The IPv4 block each load balancer's own address comes from (`--lb-subnet`); {@link DEFAULT_LB_SUBNET} when absent. */
  lbSubnet?: string;
  /** Where the document store lives (`--store`): a PostgreSQL URL; the embedded SQLite file in the data dir when absent. */
  store?: string;
  /**
   * One of several processes sharing the PostgreSQL store (`--replica`): its background work runs
   * only while it holds the leader lease, and it runs no task itself (tasks run on agents).
   */
  replica?: boolean;
  /**
   * A directory every replica mounts (`--blob-dir`): registry blobs and the keys replicas share
   * (master key, join token, token and signing keys). Absent: all of it stays in the data dir.
   */
  blobDir?: string;
}

/** The load-balancer subnet by default: loopback addresses, reachable on this host only. */
export const DEFAULT_LB_SUBNET = '127.77.0.0/16';

/** Where local nodes live: a bridge with a /24 for the nodes, task subnets `<prefix>.<k>.0/24`, and at most `maxNodes`. */
export interface LocalNodesConfig {
  bridge: string;
  subnet: string;
  taskSubnetPrefix: string;
  maxNodes: number;
}

/** The defaults of `--local-nodes`. */
export const DEFAULT_LOCAL_NODES: LocalNodesConfig = { bridge: 'mnodes0', subnet: '10.218.0.0/24', taskSubnetPrefix: '10.219', maxNodes: 4 };

/** `--local-nodes` and its settings (flags, else MINATO_LOCAL_NODES / MINATO_NODE_BRIDGE / MINATO_NODE_SUBNET / MINATO_MAX_LOCAL_NODES). */
export function localNodesConfig(
  flags: { localNodes?: boolean; nodeBridge?: string; nodeSubnet?: string; maxLocalNodes?: string },
  env: NodeJS.ProcessEnv,
): LocalNodesConfig | undefined {
  if (!flags.localNodes && env.MINATO_LOCAL_NODES !== '1' && env.MINATO_LOCAL_NODES !== 'true') return undefined;
  const maxNodes = Number(flags.maxLocalNodes ?? env.MINATO_MAX_LOCAL_NODES ?? DEFAULT_LOCAL_NODES.maxNodes);
  if (!Number.isInteger(maxNodes) || maxNodes < 0 || maxNodes > 200) throw new Error(`--max-local-nodes must be an integer from 0 to 200, got "${String(maxNodes)}"`);
  return {
    ...DEFAULT_LOCAL_NODES,
    bridge: flags.nodeBridge ?? env.MINATO_NODE_BRIDGE ?? DEFAULT_LOCAL_NODES.bridge,
    subnet: flags.nodeSubnet ?? env.MINATO_NODE_SUBNET ?? DEFAULT_LOCAL_NODES.subnet,
    maxNodes,
  };
}

/** The well-known local credentials; accepted only on a loopback address. */
export const DEFAULT_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** The defaults of `minato up`. */
export const DEFAULT_CONFIG: PlatformConfig = {
  host: '127.0.0.1',
  port: 4566,
  dataDir: '.minato',
  accountId: '000000000000',
  ...DEFAULT_CREDENTIALS,
  taskBridge: 'minato0',
  taskSubnet: '10.213.0.0/16',
};

/** `--extra-regions a,b` (or MINATO_EXTRA_REGIONS): the names, trimmed, empty ones dropped. */
export function extraRegionsConfig(flag: string | undefined, env: NodeJS.ProcessEnv): string[] | undefined {
  const text = flag ?? env.MINATO_EXTRA_REGIONS;
  if (text === undefined) return undefined;
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  return names.length > 0 ? names : undefined;
}

/** `--fargate-cpu-overcommit <factor>` (or MINATO_FARGATE_CPU_OVERCOMMIT): a number from 1 (no sharing) to 1000. */
export function fargateCpuOvercommitConfig(flag: string | undefined, env: NodeJS.ProcessEnv): number | undefined {
  const text = flag ?? env.MINATO_FARGATE_CPU_OVERCOMMIT;
  if (text === undefined || text.trim() === '') return undefined;
  const factor = Number(text);
  if (!Number.isFinite(factor) || factor < 1 || factor > 1000) throw new Error(`--fargate-cpu-overcommit must be a number from 1 to 1000, got "${text}"`);
  return factor;
}

/** The URL schemes `--store` takes: PostgreSQL's, both as libpq spells them. */
const STORE_SCHEMES = ['postgres:', 'postgresql:'];

/**
 * Why `--store` cannot be used, or undefined when it can. The messages never repeat the
 * location, which may hold a password.
 */
export function storeProblem(location: string): string | undefined {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return '--store takes a URL such as postgres://user@host:5432/database';
  }
  if (!STORE_SCHEMES.includes(url.protocol)) {
    return `--store: unknown scheme "${url.protocol}"; use postgres://user@host:port/database, or leave --store out for the embedded SQLite store`;
  }
  return undefined;
}

/**
 * Why `--blob-dir` cannot be used, or undefined when it can: it must be an absolute path (every
 * replica names the same mount, so a path relative to where one was started is a mistake), and it
 * must not be, or lie inside, the data dir, which is each replica's own.
 */
export function blobDirProblem(blobDir: string, dataDir: string): string | undefined {
  if (!isAbsolute(blobDir)) return `--blob-dir must be an absolute path (a directory every replica mounts), got "${blobDir}"`;
  const data = resolve(dataDir);
  const blobs = resolve(blobDir);
  if (blobs === data || blobs.startsWith(`${data}${sep}`) || data.startsWith(`${blobs}${sep}`)) {
    return `--blob-dir ${blobs} must be apart from the data dir ${data}: the blob dir is shared by replicas, the data dir is each one's own`;
  }
  return undefined;
}

/** `location` without its password, for logs. */
export function redactedStoreUrl(location: string): string {
  const url = new URL(location);
  if (url.password !== '') url.password = '***';
  return url.toString();
}

/** Tells whether `host` only ever reaches this machine. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

/** Whether the root's keys are (or half are) the well-known defaults, which only loopback may use. */
export function usesDefaultCredentials(config: Pick<PlatformConfig, 'accessKeyId' | 'secretAccessKey'>): boolean {
  return config.accessKeyId === DEFAULT_CREDENTIALS.accessKeyId || config.secretAccessKey === DEFAULT_CREDENTIALS.secretAccessKey;
}

/** What is wrong with a `--replica` configuration, if anything (also checked when a platform is embedded). */
export function replicaProblem(config: Pick<PlatformConfig, 'replica' | 'store' | 'blobDir' | 'localNodes'>): string | undefined {
  if (!config.replica) return undefined;
  if (config.store === undefined) return '--replica needs --store: replicas share their state on PostgreSQL';
  if (config.blobDir === undefined) return '--replica needs --blob-dir: replicas share registry blobs and the platform\'s keys there';
  if (config.localNodes) return '--replica runs no task itself: --local-nodes cannot be used with it (start `minato agent` hosts)';
  return undefined;
}

/** Rejects configurations that must not start; returns the reason, or undefined when fine. */
export function configProblem(config: PlatformConfig): string | undefined {
  if (!/^\d{12}$/.test(config.accountId)) return `account id must be 12 digits, got "${config.accountId}"`;
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) return `invalid port ${config.port}`;
  if (!config.accessKeyId || !config.secretAccessKey) return 'access key id and secret access key must not be empty';
  const badRegion = config.extraRegions?.find((name) => !REGION_NAME.test(name));
  if (badRegion !== undefined) {
    return `--extra-regions takes region names of lower-case letters, digits and hyphens, got "${badRegion}"`;
  }
  if (config.store !== undefined) {
    const problem = storeProblem(config.store);
    if (problem) return problem;
  }
  const replica = replicaProblem(config);
  if (replica) return replica;
  if (config.blobDir !== undefined) {
    const problem = blobDirProblem(config.blobDir, config.dataDir);
    if (problem) return problem;
  }
  if (config.lbSubnet !== undefined) {
    try {
      parseSubnet(config.lbSubnet);
    } catch (err) {
      return `--lb-subnet: ${(err as Error).message}`;
    }
  }
  if (usesDefaultCredentials(config) && !isLoopback(config.host)) {
    return `refusing to serve the default credentials on the non-loopback address ${config.host}: set --access-key-id and --secret-access-key (or MINATO_ACCESS_KEY_ID and MINATO_SECRET_ACCESS_KEY)`;
  }
  return undefined;
}
