/** The parts of an ARN: arn:partition:service:region:account:resource. */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** Everything after the account, e.g. `cluster/web` or `task-definition/app:3`. */
  resource: string;
}

/** Formats an ARN in the `aws` partition. */
export function formatArn(service: string, region: string, accountId: string, resource: string): string {
  return `arn:aws:${service}:${region}:${accountId}:${resource}`;
}

/** Parses an ARN, or returns undefined when `value` is not one. */
export function parseArn(value: string): Arn | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const parts = value.split(':');
  if (parts.length < 6) return undefined;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  if (!partition || !service) return undefined;
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}
