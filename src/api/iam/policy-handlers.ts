import type { IamDomain } from '../../iam/iam-domain.js';
import type { PolicyUsage } from '../../iam/managed-policies.js';
import { pageByMarker } from '../../iam/paging.js';
import type { Tag } from '../../iam/records.js';
import type { OperationHandler } from '../../server/service.js';
import { paging, policyOut, tagsPage, versionOut } from './wire.js';

interface Paged {
  Marker?: string;
  MaxItems?: number;
}

/** Managed policies: CRUD, versions, tags, and the entities they are attached to. */
export function policyHandlers(iam: IamDomain): Record<string, OperationHandler> {
  return {
    async CreatePolicy(input: { PolicyName: string; Path?: string; PolicyDocument: string; Description?: string; Tags?: Tag[] }, { scope }) {
      const policy = await iam.policies.create(scope, {
        name: input.PolicyName,
        ...(input.Path !== undefined && { path: input.Path }),
        document: input.PolicyDocument,
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.Tags && { tags: input.Tags }),
      });
      return { Policy: policyOut(policy, true) };
    },
    async GetPolicy(input: { PolicyArn: string }, { scope }) {
      return { Policy: policyOut(await iam.policies.get(scope, input.PolicyArn), true) };
    },
    async ListPolicies(input: Paged & { Scope?: 'All' | 'AWS' | 'Local'; OnlyAttached?: boolean; PathPrefix?: string; PolicyUsageFilter?: PolicyUsage }, { scope }) {
      // Any policy can be used either way: the usage filter narrows OnlyAttached's "in use".
      const page = await iam.policies.list(scope, {
        ...(input.Scope !== undefined && { scope: input.Scope }),
        ...(input.OnlyAttached !== undefined && { onlyAttached: input.OnlyAttached }),
        ...(input.PolicyUsageFilter !== undefined && { usage: input.PolicyUsageFilter }),
        ...(input.PathPrefix !== undefined && { pathPrefix: input.PathPrefix }),
        ...(input.Marker !== undefined && { marker: input.Marker }),
        ...(input.MaxItems !== undefined && { maxItems: input.MaxItems }),
      });
      return { Policies: page.items.map((p) => policyOut(p, false)), ...paging(page.marker) };
    },
    async DeletePolicy(input: { PolicyArn: string }, { scope }) {
      await iam.policies.delete(scope, input.PolicyArn);
      return {};
    },
    async CreatePolicyVersion(input: { PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean }, { scope }) {
      const version = await iam.policies.createVersion(scope, input.PolicyArn, input.PolicyDocument, input.SetAsDefault ?? false);
      return { PolicyVersion: versionOut(version, false) };
    },
    async GetPolicyVersion(input: { PolicyArn: string; VersionId: string }, { scope }) {
      return { PolicyVersion: versionOut(await iam.policies.getVersion(scope, input.PolicyArn, input.VersionId), true) };
    },
    async ListPolicyVersions(input: Paged & { PolicyArn: string }, { scope }) {
      const versions = await iam.policies.listVersions(scope, input.PolicyArn);
      const rows = versions.map((v, i) => ({ key: String(i).padStart(4, '0'), value: v }));
      const page = pageByMarker('policy-versions', rows, input.Marker, input.MaxItems);
      return { Versions: page.items.map((v) => versionOut(v, false)), ...paging(page.marker) };
    },
    async DeletePolicyVersion(input: { PolicyArn: string; VersionId: string }, { scope }) {
      await iam.policies.deleteVersion(scope, input.PolicyArn, input.VersionId);
      return {};
    },
    async SetDefaultPolicyVersion(input: { PolicyArn: string; VersionId: string }, { scope }) {
      await iam.policies.setDefaultVersion(scope, input.PolicyArn, input.VersionId);
      return {};
    },
    async TagPolicy(input: { PolicyArn: string; Tags: Tag[] }, { scope }) {
      await iam.policies.tag(scope, input.PolicyArn, input.Tags);
      return {};
    },
    async UntagPolicy(input: { PolicyArn: string; TagKeys: string[] }, { scope }) {
      await iam.policies.untag(scope, input.PolicyArn, input.TagKeys);
      return {};
    },
    async ListPolicyTags(input: Paged & { PolicyArn: string }, { scope }) {
      return tagsPage('policy-tags', (await iam.policies.get(scope, input.PolicyArn)).tags, input);
    },
    async ListEntitiesForPolicy(input: Paged & { PolicyArn: string; EntityFilter?: string; PathPrefix?: string; PolicyUsageFilter?: PolicyUsage }, { scope }) {
      const holders = await iam.policies.holders(scope, input.PolicyArn, input.PolicyUsageFilter);
      const wants = (kind: string) => input.EntityFilter === undefined || input.EntityFilter === kind;
      const under = (path: string) => input.PathPrefix === undefined || path.startsWith(input.PathPrefix);
      // One listing, groups then users then roles, each by name, so that one Marker pages through all.
      type Kind = 'Group' | 'User' | 'Role';
      const entity = (kind: Kind, order: number, name: string, path: string, id: string) => ({ key: `${order}/${name.toLowerCase()}`, path, value: { kind, name, id } });
      const all = [
        ...holders.groups.map((g) => entity('Group', 1, g.name, g.path, g.groupId)),
        ...holders.users.map((u) => entity('User', 2, u.name, u.path, u.userId)),
        ...holders.roles.map((r) => entity('Role', 3, r.name, r.path, r.roleId)),
      ].filter((row) => wants(row.value.kind) && under(row.path));
      const page = pageByMarker('entities-for-policy', all, input.Marker, input.MaxItems);
      const of = (kind: Kind) => page.items.filter((e) => e.kind === kind);
      return {
        PolicyGroups: of('Group').map((e) => ({ GroupName: e.name, GroupId: e.id })),
        PolicyUsers: of('User').map((e) => ({ UserName: e.name, UserId: e.id })),
        PolicyRoles: of('Role').map((e) => ({ RoleName: e.name, RoleId: e.id })),
        ...paging(page.marker),
      };
    },
  };
}
