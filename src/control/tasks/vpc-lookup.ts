import type { AwsVpcConfiguration } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import type { TaskFirewall } from '../../agent-contract/task-firewall.js';
import type { TaskRecord } from './task.js';

/**
 * The port through which ECS reads the EC2 networking resources an awsvpc configuration names, as
 * ECS asks EC2 before it accepts a RunTask or a service. The composition root implements it over
 * the EC2 networking domain; without it (unit tests of the ECS domain alone) nothing is looked up.
 */
export interface VpcLookup {
  /** Of the ids named, those that exist in the account and region, and each VPC's default group. */
  find(where: Pick<Scope, 'accountId' | 'region'>, subnetIds: readonly string[], groupIds: readonly string[]): Promise<VpcFacts>;
}

/**
 * What a task's security groups allow now (security-rules.ts over the groups and their members),
 * for the launch spec of a task the control host runs; undefined when they are not enforced.
 */
export interface TaskFirewallSource {
  forTask(task: TaskRecord): Promise<TaskFirewall | undefined>;
}

/** Lets nothing in and everything out: the firewall of a task whose groups could not be read, until they are. */
export const CLOSED_FIREWALL: TaskFirewall = { ingress: [], egress: [{ protocol: 'all', fromPort: -1, toPort: -1, cidrs: ['0.0.0.0/0'] }] };

export interface VpcFacts {
  subnets: ReadonlyArray<{ subnetId: string; vpcId: string }>;
  groups: ReadonlyArray<{ groupId: string; vpcId: string }>;
  /** The default security group of each VPC that has one, by VPC id. */
  defaultGroups: Readonly<Record<string, string>>;
}

/** What an accepted awsvpc configuration stands for. */
export interface ResolvedAwsVpc {
  vpcId: string;
  /** The groups named, or the VPC's default group when none is (as ECS applies it). */
  securityGroups: string[];
}

/**
 * Checks that the subnets and security groups of `vpc` exist and share one VPC, with ECS's
 * InvalidParameterException texts (the subnet's as ECS words it; the others in its style).
 */
export async function resolveAwsVpc(lookup: VpcLookup, scope: Pick<Scope, 'accountId' | 'region'>, vpc: AwsVpcConfiguration): Promise<ResolvedAwsVpc> {
  const subnetIds = [...new Set(vpc.subnets ?? [])];
  const groupIds = [...new Set(vpc.securityGroups ?? [])];
  const facts = await lookup.find(scope, subnetIds, groupIds);
  const missingSubnets = subnetIds.filter((id) => !facts.subnets.some((s) => s.subnetId === id));
  if (missingSubnets.length > 0) {
    const id = missingSubnets[0]!;
    throw invalidParameter(`Error retrieving subnet information for [${missingSubnets.join(', ')}]: The subnet ID '${id}' does not exist (ErrorCode: InvalidSubnetID.NotFound)`);
  }
  const missingGroups = groupIds.filter((id) => !facts.groups.some((g) => g.groupId === id));
  if (missingGroups.length > 0) {
    const id = missingGroups[0]!;
    throw invalidParameter(`Error retrieving security group information for [${missingGroups.join(', ')}]: The security group '${id}' does not exist (ErrorCode: InvalidGroup.NotFound)`);
  }
  const vpcs = [...new Set(facts.subnets.filter((s) => subnetIds.includes(s.subnetId)).map((s) => s.vpcId))];
  if (vpcs.length > 1) throw invalidParameter('The subnets must all belong to the same VPC.');
  const vpcId = vpcs[0]!;
  const strangers = facts.groups.filter((g) => groupIds.includes(g.groupId) && g.vpcId !== vpcId).map((g) => g.groupId);
  if (strangers.length > 0) {
    throw invalidParameter(`Security groups [${strangers.join(', ')}] do not belong to the VPC of the subnets (${vpcId}).`);
  }
  if (groupIds.length > 0) return { vpcId, securityGroups: groupIds };
  const fallback = facts.defaultGroups[vpcId];
  if (fallback === undefined) throw invalidParameter(`The VPC ${vpcId} has no default security group; name the security groups.`);
  return { vpcId, securityGroups: [fallback] };
}
