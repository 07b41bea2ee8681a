import type { IamDomain } from '../../iam/iam-domain.js';
import type { Tag } from '../../iam/records.js';
import type { OperationHandler } from '../../server/service.js';
import { encodeDocument } from '../../iam/documents.js';
import { attachedUnder } from '../../iam/attachments.js';
import { attachedPoliciesOut, paging, policyNamesOut, roleOut, tagsPage } from './wire.js';

interface Paged {
  Marker?: string;
  MaxItems?: number;
}

/** Roles: CRUD, trust, managed and inline policies, tags, service-linked roles. */
export function roleHandlers(iam: IamDomain): Record<string, OperationHandler> {
  return {
    async CreateRole(input: {
      RoleName: string;
      Path?: string;
      AssumeRolePolicyDocument: string;
      Description?: string;
      MaxSessionDuration?: number;
      PermissionsBoundary?: string;
      Tags?: Tag[];
    }, { scope }) {
      const role = await iam.roles.create(scope, {
        name: input.RoleName,
        ...(input.Path !== undefined && { path: input.Path }),
        assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.MaxSessionDuration !== undefined && { maxSessionDuration: input.MaxSessionDuration }),
        ...(input.PermissionsBoundary !== undefined && { permissionsBoundary: input.PermissionsBoundary }),
        ...(input.Tags && { tags: input.Tags }),
      });
      return { Role: roleOut(role, true) };
    },
    async GetRole(input: { RoleName: string }, { scope }) {
      return { Role: roleOut(await iam.roles.get(scope, input.RoleName), true) };
    },
    async ListRoles(input: Paged & { PathPrefix?: string }, { scope }) {
      const page = await iam.roles.list(scope, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems });
      return { Roles: page.items.map((r) => roleOut(r, false)), ...paging(page.marker) };
    },
    async UpdateRole(input: { RoleName: string; Description?: string; MaxSessionDuration?: number }, { scope }) {
      await iam.roles.update(scope, input.RoleName, {
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.MaxSessionDuration !== undefined && { maxSessionDuration: input.MaxSessionDuration }),
      });
      return {};
    },
    async UpdateRoleDescription(input: { RoleName: string; Description: string }, { scope }) {
      return { Role: roleOut(await iam.roles.update(scope, input.RoleName, { description: input.Description }), true) };
    },
    async UpdateAssumeRolePolicy(input: { RoleName: string; PolicyDocument: string }, { scope }) {
      await iam.roles.updateTrust(scope, input.RoleName, input.PolicyDocument);
      return {};
    },
    async DeleteRole(input: { RoleName: string }, { scope }) {
      await iam.roles.delete(scope, input.RoleName);
      return {};
    },
    async TagRole(input: { RoleName: string; Tags: Tag[] }, { scope }) {
      await iam.roles.tag(scope, input.RoleName, input.Tags);
      return {};
    },
    async UntagRole(input: { RoleName: string; TagKeys: string[] }, { scope }) {
      await iam.roles.untag(scope, input.RoleName, input.TagKeys);
      return {};
    },
    async ListRoleTags(input: Paged & { RoleName: string }, { scope }) {
      return tagsPage('role-tags', (await iam.roles.get(scope, input.RoleName)).tags, input);
    },
    async AttachRolePolicy(input: { RoleName: string; PolicyArn: string }, { scope }) {
      await iam.roles.attachPolicy(scope, input.RoleName, input.PolicyArn);
      return {};
    },
    async DetachRolePolicy(input: { RoleName: string; PolicyArn: string }, { scope }) {
      await iam.roles.detachPolicy(scope, input.RoleName, input.PolicyArn);
      return {};
    },
    async ListAttachedRolePolicies(input: Paged & { RoleName: string; PathPrefix?: string }, { scope }) {
      const role = await iam.roles.get(scope, input.RoleName);
      return attachedPoliciesOut('attached-role-policies', attachedUnder(role.attachedPolicies, input.PathPrefix), input);
    },
    async PutRolePolicy(input: { RoleName: string; PolicyName: string; PolicyDocument: string }, { scope }) {
      await iam.roles.putInlinePolicy(scope, input.RoleName, input.PolicyName, input.PolicyDocument);
      return {};
    },
    async GetRolePolicy(input: { RoleName: string; PolicyName: string }, { scope }) {
      const role = await iam.roles.get(scope, input.RoleName);
      const policy = await iam.roles.getInlinePolicy(scope, input.RoleName, input.PolicyName);
      return { RoleName: role.name, PolicyName: policy.name, PolicyDocument: encodeDocument(policy.document) };
    },
    async DeleteRolePolicy(input: { RoleName: string; PolicyName: string }, { scope }) {
      await iam.roles.deleteInlinePolicy(scope, input.RoleName, input.PolicyName);
      return {};
    },
    async ListRolePolicies(input: Paged & { RoleName: string }, { scope }) {
      const role = await iam.roles.get(scope, input.RoleName);
      return policyNamesOut('role-policies', Object.keys(role.inlinePolicies), input);
    },
    async CreateServiceLinkedRole(input: { AWSServiceName: string; Description?: string; CustomSuffix?: string }, { scope }) {
      const role = await iam.serviceLinkedRoles.create(scope, {
        serviceName: input.AWSServiceName,
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.CustomSuffix !== undefined && { customSuffix: input.CustomSuffix }),
      });
      return { Role: roleOut(role, false) };
    },
    async DeleteServiceLinkedRole(input: { RoleName: string }, { scope }) {
      return { DeletionTaskId: await iam.serviceLinkedRoles.delete(scope, input.RoleName) };
    },
    async GetServiceLinkedRoleDeletionStatus(input: { DeletionTaskId: string }, { scope }) {
      const task = await iam.serviceLinkedRoles.deletionStatus(scope, input.DeletionTaskId);
      return { Status: task.status };
    },
  };
}
