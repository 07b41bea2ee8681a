import type { OperationHandler } from '../../server/service.js';
import type { Filter, Tag } from '../../vpc/filters.js';
import type { Ec2Network } from '../../vpc/network.js';
import type { RuleRecord, Where } from '../../vpc/records.js';
import type { Repo } from '../../vpc/repo.js';
import { authorize, createSecurityGroup, deleteSecurityGroup, namedGroup, revoke, type IpPermission } from '../../vpc/security-groups.js';
import { tagsFor } from '../../vpc/tags.js';
import { groupArn, page, ruleView, securityGroupView } from './views.js';

type TagSpecs = Array<{ ResourceType?: string; Tags?: Tag[] }>;

interface RuleChange {
  GroupId?: string;
  GroupName?: string;
  IpPermissions?: IpPermission[];
  SecurityGroupRuleIds?: string[];
  TagSpecifications?: TagSpecs;
  // The flat form of one ingress permission (EC2's first API).
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: string;
  SourceSecurityGroupName?: string;
}

/** The permissions of a request: IpPermissions, or the flat one of CidrIp/SourceSecurityGroupName. */
function permissionsOf(input: RuleChange): IpPermission[] {
  const flat = input.CidrIp !== undefined || input.SourceSecurityGroupName !== undefined;
  if (!flat) return input.IpPermissions ?? [];
  return [
    ...(input.IpPermissions ?? []),
    {
      IpProtocol: input.IpProtocol ?? '-1',
      ...(input.FromPort !== undefined && { FromPort: input.FromPort }),
      ...(input.ToPort !== undefined && { ToPort: input.ToPort }),
      ...(input.CidrIp !== undefined && { IpRanges: [{ CidrIp: input.CidrIp }] }),
      ...(input.SourceSecurityGroupName !== undefined && { UserIdGroupPairs: [{ GroupName: input.SourceSecurityGroupName }] }),
    },
  ];
}

async function authorizeRules(repo: Repo, where: Where, input: RuleChange, isEgress: boolean) {
  const group = await namedGroup(repo, input.GroupId, input.GroupName);
  const tags = tagsFor('security-group-rule', input.TagSpecifications);
  const added = await authorize(repo, group, isEgress, permissionsOf(input));
  for (const r of added) await repo.addTags(r.ruleId, tags);
  return { Return: true, SecurityGroupRules: added.map((r) => ruleView(r, group.groupId, tags, where)) };
}

async function revokeRules(repo: Repo, input: RuleChange, isEgress: boolean) {
  const group = await namedGroup(repo, input.GroupId, input.GroupName);
  const gone: RuleRecord[] = await revoke(repo, group, isEgress, permissionsOf(input), input.SecurityGroupRuleIds ?? []);
  return {
    Return: true,
    RevokedSecurityGroupRules: gone.map((r) => ({
      SecurityGroupRuleId: r.ruleId, GroupId: group.groupId, IsEgress: r.isEgress, IpProtocol: r.ipProtocol, FromPort: r.fromPort, ToPort: r.toPort,
      ...(r.cidrIpv4 !== undefined && { CidrIpv4: r.cidrIpv4 }),
      ...(r.cidrIpv6 !== undefined && { CidrIpv6: r.cidrIpv6 }),
      ...(r.referencedGroupId !== undefined && { ReferencedSecurityGroupId: r.referencedGroupId }),
      ...(r.description !== undefined && { Description: r.description }),
    })),
  };
}

/** Security groups and their rules. */
export function securityGroupHandlers(network: Ec2Network): Record<string, OperationHandler> {
  return {
    async CreateSecurityGroup(input: { GroupName: string; Description: string; VpcId?: string; TagSpecifications?: TagSpecs }, { scope }) {
      return network.run(scope, async (repo) => {
        const tags = tagsFor('security-group', input.TagSpecifications);
        const group = await createSecurityGroup(repo, input);
        await repo.addTags(group.groupId, tags);
        return { GroupId: group.groupId, SecurityGroupArn: groupArn(scope, group.groupId), ...(tags.length > 0 && { Tags: tags }) };
      });
    },
    async DescribeSecurityGroups(input: { GroupIds?: string[]; GroupNames?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, { scope }) {
      const found = await network.describeSecurityGroups(scope, { ids: input.GroupIds, names: input.GroupNames, filters: input.Filters });
      const p = page(found, input.MaxResults, input.NextToken);
      return { SecurityGroups: p.items.map((d) => securityGroupView(d, scope)), ...(p.NextToken && { NextToken: p.NextToken }) };
    },
    async DeleteSecurityGroup(input: { GroupId?: string; GroupName?: string }, { scope }) {
      return network.run(scope, async (repo) => {
        const group = await namedGroup(repo, input.GroupId, input.GroupName);
        await deleteSecurityGroup(repo, group);
        return { Return: true, GroupId: group.groupId };
      });
    },
    async DescribeSecurityGroupRules(input: { SecurityGroupRuleIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string }, { scope }) {
      const found = await network.describeSecurityGroupRules(scope, { ids: input.SecurityGroupRuleIds, filters: input.Filters });
      const p = page(found, input.MaxResults, input.NextToken);
      return { SecurityGroupRules: p.items.map((d) => ruleView(d.record, d.record.groupId, d.tags, scope)), ...(p.NextToken && { NextToken: p.NextToken }) };
    },
    AuthorizeSecurityGroupIngress: (input: RuleChange, { scope }) => network.run(scope, (repo) => authorizeRules(repo, scope, input, false)),
    AuthorizeSecurityGroupEgress: (input: RuleChange, { scope }) => network.run(scope, (repo) => authorizeRules(repo, scope, input, true)),
    RevokeSecurityGroupIngress: (input: RuleChange, { scope }) => network.run(scope, (repo) => revokeRules(repo, input, false)),
    RevokeSecurityGroupEgress: (input: RuleChange, { scope }) => network.run(scope, (repo) => revokeRules(repo, input, true)),
  };
}
