import { randomBytes } from 'node:crypto';
import { formatArn, parseArn } from '../lib/arn.js';
import { validation } from './errors.js';
import type { LoadBalancerType } from './records.js';

/**
 * Names, ids and ARNs of ELB resources, as AWS spells them. Load balancer and target group names
 * are 1–32 alphanumerics and hyphens, not starting or ending with a hyphen; a load balancer's name
 * may not start with "internal-" (its DNS name would be ambiguous with an internal one's).
 */
const NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

export function checkLoadBalancerName(name: string): void {
  if (!NAME.test(name)) {
    throw validation(`The load balancer name '${name}' must be 1-32 characters long, contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen`);
  }
  if (name.toLowerCase().startsWith('internal-')) throw validation(`Load balancer name '${name}' cannot begin with 'internal-'`);
}

export function checkTargetGroupName(name: string): void {
  if (!NAME.test(name)) {
    throw validation(`Target group name '${name}' can only contain characters that are alphanumeric characters or hyphens(-), must not begin or end with a hyphen, and must be 1-32 characters long`);
  }
}

/** 16 hex digits, as ELB's resource ids. */
export const newResourceId = (): string => randomBytes(8).toString('hex');

const typeSegment = (type: LoadBalancerType) => (type === 'application' ? 'app' : 'net');

export const loadBalancerArn = (region: string, accountId: string, type: LoadBalancerType, name: string, id: string) =>
  formatArn('elasticloadbalancing', region, accountId, `loadbalancer/${typeSegment(type)}/${name}/${id}`);

export const targetGroupArn = (region: string, accountId: string, name: string, id: string) =>
  formatArn('elasticloadbalancing', region, accountId, `targetgroup/${name}/${id}`);

/** `…:listener/app/<lb name>/<lb id>/<id>`: the load balancer's path, then the listener's id. */
export const listenerArn = (lbArn: string, id: string) => lbArn.replace(':loadbalancer/', ':listener/') + `/${id}`;

export const ruleArn = (listenerArnValue: string, id: string) => listenerArnValue.replace(':listener/', ':listener-rule/') + `/${id}`;

/** The prefix every listener ARN of a load balancer starts with. */
export const listenerPrefix = (lbArn: string) => lbArn.replace(':loadbalancer/', ':listener/') + '/';
export const rulePrefix = (listenerArnValue: string) => listenerArnValue.replace(':listener/', ':listener-rule/') + '/';

/** Which ELB resource an ARN names, or undefined when it names none. */
export function resourceKind(arn: string): 'load-balancer' | 'target-group' | 'listener' | 'rule' | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'elasticloadbalancing') return undefined;
  if (/^loadbalancer\/(app|net)\/[^/]+\/[0-9a-f]+$/.test(parsed.resource)) return 'load-balancer';
  if (/^targetgroup\/[^/]+\/[0-9a-f]+$/.test(parsed.resource)) return 'target-group';
  if (/^listener\/(app|net)\/[^/]+\/[0-9a-f]+\/[0-9a-f]+$/.test(parsed.resource)) return 'listener';
  if (/^listener-rule\/(app|net)\/[^/]+\/[0-9a-f]+\/[0-9a-f]+\/[0-9a-f]+$/.test(parsed.resource)) return 'rule';
  return undefined;
}

/**
 * `<name>-<digits>.<region>.elb.amazonaws.com` (application) or `<name>-<hex>.elb.<region>.amazonaws.com`
 * (network), with `internal-` before an internal one's, as AWS names them. The digits come from the id.
 */
export function dnsNameOf(name: string, id: string, type: LoadBalancerType, scheme: string, region: string): string {
  const prefix = scheme === 'internal' ? 'internal-' : '';
  if (type === 'network') return `${prefix}${name}-${id}.elb.${region}.amazonaws.com`.toLowerCase();
  const digits = (BigInt(`0x${id}`) % 10_000_000_000n).toString().padStart(10, '0');
  return `${prefix}${name}-${digits}.${region}.elb.amazonaws.com`.toLowerCase();
}

/** The hosted zone ids AWS gives ALBs and NLBs of us-east-1; other regions reuse them (minato has no Route 53). */
export const canonicalHostedZoneId = (type: LoadBalancerType) => (type === 'application' ? 'Z35SXDOTRQ7X7K' : 'Z26RNL4JYFTOTI');

const SUBNET_ID = /^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const VPC_ID = /^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

export const isSubnetId = (id: string) => SUBNET_ID.test(id);
export const isSecurityGroupId = (id: string) => SECURITY_GROUP_ID.test(id);
export const isVpcId = (id: string) => VPC_ID.test(id);

// Zones and the default VPC are shared with the EC2 networking API (lib/zones.ts).
export { defaultVpcId, zoneOfSubnet } from '../lib/zones.js';
