import { randomBytes } from 'node:crypto';
import { formatArn, parseArn } from '../../lib/arn.js';
import type { Scope } from '../../lib/scope.js';

/** A new container instance id: 32 hex digits, as ECS's long ARN format has them. */
export const newInstanceId = (): string => randomBytes(16).toString('hex');

/** A made-up EC2 instance id (`i-` and 17 hex digits) for an agent that is not on EC2. */
export const newEc2InstanceId = (): string => `i-${randomBytes(9).toString('hex').slice(0, 17)}`;

/** `arn:aws:ecs:<region>:<account>:container-instance/<cluster>/<id>`. */
export function instanceArn(scope: Pick<Scope, 'region' | 'accountId'>, clusterName: string, id: string): string {
  return formatArn('ecs', scope.region, scope.accountId, `container-instance/${clusterName}/${id}`);
}

/** The parts of a container instance ARN in the long format, or undefined for anything else. */
export interface InstanceArnParts {
  region: string;
  accountId: string;
  clusterName: string;
  id: string;
  /** The ARN of the cluster the instance belongs to. */
  clusterArn: string;
}

/** Parses a long-format container instance ARN. */
export function parseInstanceArn(value: string): InstanceArnParts | undefined {
  const arn = parseArn(value);
  if (!arn || arn.service !== 'ecs') return undefined;
  const m = /^container-instance\/([a-zA-Z0-9_-]{1,255})\/([^/]+)$/.exec(arn.resource);
  if (!m) return undefined;
  const [, clusterName, id] = m as unknown as [string, string, string];
  return {
    region: arn.region,
    accountId: arn.accountId,
    clusterName,
    id,
    clusterArn: formatArn('ecs', arn.region, arn.accountId, `cluster/${clusterName}`),
  };
}

/** The store key of an instance: `<clusterArn>/<id>`. */
export const instanceKey = (clusterArn: string, id: string): string => `${clusterArn}/${id}`;

/**
 * The id a request member names within a cluster: a bare id, or an ARN of this scope and
 * cluster. Anything else names no instance of the cluster (undefined).
 */
export function instanceIdIn(scope: Scope, clusterName: string, ref: string): string | undefined {
  if (!ref.startsWith('arn:')) return /^[^/\s]{1,255}$/.test(ref) ? ref : undefined;
  const parts = parseInstanceArn(ref);
  if (!parts || parts.region !== scope.region || parts.accountId !== scope.accountId || parts.clusterName !== clusterName) {
    return undefined;
  }
  return parts.id;
}

/** What an EC2 instance identity document tells about the instance, when it is one. */
export interface IdentityFacts {
  instanceId?: string;
  availabilityZone?: string;
  instanceType?: string;
  privateIp?: string;
}

/**
 * Reads the fields ECS uses from an instance identity document (JSON, as EC2's metadata service
 * serves it). Anything that is not such a document yields no facts: the document is optional.
 */
export function parseIdentityDocument(text: string | undefined): IdentityFacts {
  if (!text) return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return {};
  }
  if (!doc || typeof doc !== 'object') return {};
  const d = doc as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === 'string' && d[k] !== '' ? (d[k] as string) : undefined);
  const facts: IdentityFacts = {};
  const instanceId = str('instanceId');
  if (instanceId) facts.instanceId = instanceId;
  const zone = str('availabilityZone');
  if (zone) facts.availabilityZone = zone;
  const type = str('instanceType');
  if (type) facts.instanceType = type;
  const ip = str('privateIp');
  if (ip) facts.privateIp = ip;
  return facts;
}
