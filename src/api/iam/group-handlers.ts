import { attachedUnder } from '../../iam/attachments.js';
import { encodeDocument } from '../../iam/documents.js';
import type { IamDomain } from '../../iam/iam-domain.js';
import type { OperationHandler } from '../../server/service.js';
import { attachedPoliciesOut, groupOut, paging, policyNamesOut, userOut } from './wire.js';

interface Paged {
  Marker?: string;
  MaxItems?: number;
}

/** Groups: CRUD, members, inline and attached managed policies. */
export function groupHandlers(iam: IamDomain): Record<string, OperationHandler> {
  return {
    async CreateGroup(input: { GroupName: string; Path?: string }, { scope }) {
      const group = await iam.groups.create(scope, { name: input.GroupName, ...(input.Path !== undefined && { path: input.Path }) });
      return { Group: groupOut(group) };
    },
    async GetGroup(input: Paged & { GroupName: string }, { scope }) {
      const { group, users } = await iam.groups.members(scope, input.GroupName, { marker: input.Marker, maxItems: input.MaxItems });
      return { Group: groupOut(group), Users: users.items.map((u) => userOut(u, false)), ...paging(users.marker) };
    },
    async ListGroups(input: Paged & { PathPrefix?: string }, { scope }) {
      const page = await iam.groups.list(scope, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems });
      return { Groups: page.items.map(groupOut), ...paging(page.marker) };
    },
    async ListGroupsForUser(input: Paged & { UserName: string }, { scope }) {
      const page = await iam.groups.forUser(scope, input.UserName, { marker: input.Marker, maxItems: input.MaxItems });
      return { Groups: page.items.map(groupOut), ...paging(page.marker) };
    },
    async UpdateGroup(input: { GroupName: string; NewGroupName?: string; NewPath?: string }, { scope }) {
      await iam.groups.update(scope, input.GroupName, {
        ...(input.NewGroupName !== undefined && { newName: input.NewGroupName }),
        ...(input.NewPath !== undefined && { newPath: input.NewPath }),
      });
      return {};
    },
    async DeleteGroup(input: { GroupName: string }, { scope }) {
      await iam.groups.delete(scope, input.GroupName);
      return {};
    },
    async AddUserToGroup(input: { GroupName: string; UserName: string }, { scope }) {
      await iam.groups.addUser(scope, input.GroupName, input.UserName);
      return {};
    },
    async RemoveUserFromGroup(input: { GroupName: string; UserName: string }, { scope }) {
      await iam.groups.removeUser(scope, input.GroupName, input.UserName);
      return {};
    },
    async PutGroupPolicy(input: { GroupName: string; PolicyName: string; PolicyDocument: string }, { scope }) {
      await iam.groups.putInlinePolicy(scope, input.GroupName, input.PolicyName, input.PolicyDocument);
      return {};
    },
    async GetGroupPolicy(input: { GroupName: string; PolicyName: string }, { scope }) {
      const policy = await iam.groups.getInlinePolicy(scope, input.GroupName, input.PolicyName);
      return { GroupName: policy.groupName, PolicyName: policy.name, PolicyDocument: encodeDocument(policy.document) };
    },
    async DeleteGroupPolicy(input: { GroupName: string; PolicyName: string }, { scope }) {
      await iam.groups.deleteInlinePolicy(scope, input.GroupName, input.PolicyName);
      return {};
    },
    async ListGroupPolicies(input: Paged & { GroupName: string }, { scope }) {
      const group = await iam.groups.get(scope, input.GroupName);
      return policyNamesOut('group-policies', Object.keys(group.inlinePolicies), input);
    },
    async AttachGroupPolicy(input: { GroupName: string; PolicyArn: string }, { scope }) {
      await iam.groups.attachPolicy(scope, input.GroupName, input.PolicyArn);
      return {};
    },
    async DetachGroupPolicy(input: { GroupName: string; PolicyArn: string }, { scope }) {
      await iam.groups.detachPolicy(scope, input.GroupName, input.PolicyArn);
      return {};
    },
    async ListAttachedGroupPolicies(input: Paged & { GroupName: string; PathPrefix?: string }, { scope }) {
      const group = await iam.groups.get(scope, input.GroupName);
      return attachedPoliciesOut('attached-group-policies', attachedUnder(group.attachedPolicies, input.PathPrefix), input);
    },
  };
}
