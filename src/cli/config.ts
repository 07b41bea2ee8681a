import { isIP } from 'node:net';

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

/** Tells whether `host` only ever reaches this machine. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

/** Rejects configurations that must not start; returns the reason, or undefined when fine. */
export function configProblem(config: PlatformConfig): string | undefined {
  if (!/^\d{12}$/.test(config.accountId)) return `account id must be 12 digits, got "${config.accountId}"`;
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) return `invalid port ${config.port}`;
  if (!config.accessKeyId || !config.secretAccessKey) return 'access key id and secret access key must not be empty';
  const defaults =
    config.accessKeyId === DEFAULT_CREDENTIALS.accessKeyId || config.secretAccessKey === DEFAULT_CREDENTIALS.secretAccessKey;
  if (defaults && !isLoopback(config.host)) {
    return `refusing to serve the default credentials on the non-loopback address ${config.host}: set --access-key-id and --secret-access-key (or MINATO_ACCESS_KEY_ID and MINATO_SECRET_ACCESS_KEY)`;
  }
  return undefined;
}
