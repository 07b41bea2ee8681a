import { encodeDocument } from '../../iam/documents.js';
import { attachedUnder } from '../../iam/attachments.js';
import { invalidInput } from '../../iam/errors.js';
import type { IamDomain } from '../../iam/iam-domain.js';
import type { Tag } from '../../iam/records.js';
import { simulatePrincipal } from '../../iam/simulate.js';
import { requireUserName } from '../../iam/users.js';
import type { OperationHandler } from '../../server/service.js';
import { accessKeyOut, attachedPoliciesOut, instanceProfileOut, paging, policyNamesOut, tagsPage, userOut } from './wire.js';

interface Paged {
  Marker?: string;
  MaxItems?: number;
}

interface ContextEntry {
  ContextKeyName?: string;
  ContextKeyValues?: string[];
}

/**
 * SimulatePrincipalPolicy's members the simulator does not act on, refused rather than dropped:
 * it evaluates the principal's identity policies only, as the principal itself, in this account,
 * without EC2's resource scenarios.
 */
const SIMULATION_REFUSED = [
  { member: 'ResourcePolicy', why: 'the simulator does not evaluate resource-based policies' },
  { member: 'CallerArn', why: 'the simulator evaluates as the policy source itself' },
  { member: 'ResourceOwner', why: 'the simulator evaluates resources of this account only' },
  { member: 'ResourceHandlingOption', why: 'the simulator has no EC2 resource scenarios' },
] as const;

/** Instance profiles, users (their policies) and access keys, and the policy simulator. */
export function identityHandlers(iam: IamDomain): Record<string, OperationHandler> {
  return {
    async CreateInstanceProfile(input: { InstanceProfileName: string; Path?: string; Tags?: Tag[] }, { scope }) {
      const view = await iam.instanceProfiles.create(scope, {
        name: input.InstanceProfileName,
        ...(input.Path !== undefined && { path: input.Path }),
        ...(input.Tags && { tags: input.Tags }),
      });
      return { InstanceProfile: instanceProfileOut(view) };
    },
    async GetInstanceProfile(input: { InstanceProfileName: string }, { scope }) {
      return { InstanceProfile: instanceProfileOut(await iam.instanceProfiles.get(scope, input.InstanceProfileName)) };
    },
    async ListInstanceProfiles(input: Paged & { PathPrefix?: string }, { scope }) {
      const page = await iam.instanceProfiles.list(scope, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems });
      return { InstanceProfiles: page.items.map(instanceProfileOut), ...paging(page.marker) };
    },
    async ListInstanceProfilesForRole(input: Paged & { RoleName: string }, { scope }) {
      const page = await iam.instanceProfiles.forRole(scope, input.RoleName, { marker: input.Marker, maxItems: input.MaxItems });
      return { InstanceProfiles: page.items.map(instanceProfileOut), ...paging(page.marker) };
    },
    async DeleteInstanceProfile(input: { InstanceProfileName: string }, { scope }) {
      await iam.instanceProfiles.delete(scope, input.InstanceProfileName);
      return {};
    },
    async AddRoleToInstanceProfile(input: { InstanceProfileName: string; RoleName: string }, { scope }) {
      await iam.instanceProfiles.addRole(scope, input.InstanceProfileName, input.RoleName);
      return {};
    },
    async RemoveRoleFromInstanceProfile(input: { InstanceProfileName: string; RoleName: string }, { scope }) {
      await iam.instanceProfiles.removeRole(scope, input.InstanceProfileName, input.RoleName);
      return {};
    },
    async TagInstanceProfile(input: { InstanceProfileName: string; Tags: Tag[] }, { scope }) {
      await iam.instanceProfiles.tag(scope, input.InstanceProfileName, input.Tags);
      return {};
    },
    async UntagInstanceProfile(input: { InstanceProfileName: string; TagKeys: string[] }, { scope }) {
      await iam.instanceProfiles.untag(scope, input.InstanceProfileName, input.TagKeys);
      return {};
    },
    async ListInstanceProfileTags(input: Paged & { InstanceProfileName: string }, { scope }) {
      return tagsPage('instance-profile-tags', (await iam.instanceProfiles.get(scope, input.InstanceProfileName)).profile.tags, input);
    },
    async CreateUser(input: { UserName: string; Path?: string; PermissionsBoundary?: string; Tags?: Tag[] }, { scope }) {
      const user = await iam.users.create(scope, {
        name: input.UserName,
        ...(input.Path !== undefined && { path: input.Path }),
        ...(input.PermissionsBoundary !== undefined && { permissionsBoundary: input.PermissionsBoundary }),
        ...(input.Tags && { tags: input.Tags }),
      });
      return { User: userOut(user, true) };
    },
    async GetUser(input: { UserName?: string }, { scope }) {
      if (input.UserName === undefined) {
        // minato's configured credentials are the account's root, which IAM describes by account.
        return { User: { UserId: scope.accountId, Arn: `arn:aws:iam::${scope.accountId}:root` } };
      }
      return { User: userOut(await iam.users.get(scope, input.UserName), true) };
    },
    async ListUsers(input: Paged & { PathPrefix?: string }, { scope }) {
      const page = await iam.users.list(scope, { pathPrefix: input.PathPrefix, marker: input.Marker, maxItems: input.MaxItems });
      return { Users: page.items.map((u) => userOut(u, false)), ...paging(page.marker) };
    },
    async DeleteUser(input: { UserName: string }, { scope }) {
      await iam.users.delete(scope, input.UserName);
      return {};
    },
    async TagUser(input: { UserName: string; Tags: Tag[] }, { scope }) {
      await iam.users.tag(scope, input.UserName, input.Tags);
      return {};
    },
    async UntagUser(input: { UserName: string; TagKeys: string[] }, { scope }) {
      await iam.users.untag(scope, input.UserName, input.TagKeys);
      return {};
    },
    async ListUserTags(input: Paged & { UserName: string }, { scope }) {
      return tagsPage('user-tags', (await iam.users.get(scope, input.UserName)).tags, input);
    },
    async PutUserPolicy(input: { UserName: string; PolicyName: string; PolicyDocument: string }, { scope }) {
      await iam.users.putInlinePolicy(scope, input.UserName, input.PolicyName, input.PolicyDocument);
      return {};
    },
    async GetUserPolicy(input: { UserName: string; PolicyName: string }, { scope }) {
      const policy = await iam.users.getInlinePolicy(scope, input.UserName, input.PolicyName);
      return { UserName: policy.userName, PolicyName: policy.name, PolicyDocument: encodeDocument(policy.document) };
    },
    async DeleteUserPolicy(input: { UserName: string; PolicyName: string }, { scope }) {
      await iam.users.deleteInlinePolicy(scope, input.UserName, input.PolicyName);
      return {};
    },
    async ListUserPolicies(input: Paged & { UserName: string }, { scope }) {
      return policyNamesOut('user-policies', Object.keys((await iam.users.get(scope, input.UserName)).inlinePolicies ?? {}), input);
    },
    async AttachUserPolicy(input: { UserName: string; PolicyArn: string }, { scope }) {
      await iam.users.attachPolicy(scope, input.UserName, input.PolicyArn);
      return {};
    },
    async DetachUserPolicy(input: { UserName: string; PolicyArn: string }, { scope }) {
      await iam.users.detachPolicy(scope, input.UserName, input.PolicyArn);
      return {};
    },
    async ListAttachedUserPolicies(input: Paged & { UserName: string; PathPrefix?: string }, { scope }) {
      const user = await iam.users.get(scope, input.UserName);
      return attachedPoliciesOut('attached-user-policies', attachedUnder(user.attachedPolicies ?? [], input.PathPrefix), input);
    },
    async CreateAccessKey(input: { UserName?: string }, { scope }) {
      const created = await iam.users.createAccessKey(scope, requireUserName(input.UserName));
      return { AccessKey: { ...accessKeyOut(created.key), SecretAccessKey: created.secretAccessKey } };
    },
    async ListAccessKeys(input: Paged & { UserName?: string }, { scope }) {
      // The root's keys are minato's configuration, not IAM records.
      if (input.UserName === undefined) return { AccessKeyMetadata: [], IsTruncated: false };
      const page = await iam.users.listAccessKeys(scope, input.UserName, { marker: input.Marker, maxItems: input.MaxItems });
      return { AccessKeyMetadata: page.items.map(accessKeyOut), ...paging(page.marker) };
    },
    async GetAccessKeyLastUsed(input: { AccessKeyId: string }, { scope }) {
      // minato does not record when keys are used yet: every key reads as never used (IAM's N/A).
      return { UserName: await iam.users.ownerOfAccessKey(scope, input.AccessKeyId), AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } };
    },
    async UpdateAccessKey(input: { UserName?: string; AccessKeyId: string; Status: 'Active' | 'Inactive' }, { scope }) {
      await iam.users.updateAccessKey(scope, requireUserName(input.UserName), input.AccessKeyId, input.Status);
      return {};
    },
    async DeleteAccessKey(input: { UserName?: string; AccessKeyId: string }, { scope }) {
      await iam.users.deleteAccessKey(scope, requireUserName(input.UserName), input.AccessKeyId);
      return {};
    },
    async SimulatePrincipalPolicy(
      input: {
        PolicySourceArn: string;
        ActionNames: string[];
        ResourceArns?: string[];
        PolicyInputList?: string[];
        PermissionsBoundaryPolicyInputList?: string[];
        ContextEntries?: ContextEntry[];
        ResourcePolicy?: string;
        CallerArn?: string;
        ResourceOwner?: string;
        ResourceHandlingOption?: string;
      },
      { scope },
    ) {
      for (const { member, why } of SIMULATION_REFUSED) {
        if (input[member] !== undefined) throw invalidInput(`The parameter ${member} is not supported by this endpoint: ${why}.`);
      }
      const context = new Map<string, string[]>();
      for (const e of input.ContextEntries ?? []) if (e.ContextKeyName) context.set(e.ContextKeyName, e.ContextKeyValues ?? []);
      const results = await simulatePrincipal(iam.store, iam.policies, scope, {
        policySourceArn: input.PolicySourceArn,
        actionNames: input.ActionNames,
        ...(input.ResourceArns && { resourceArns: input.ResourceArns }),
        ...(input.PolicyInputList && { policyInputList: input.PolicyInputList }),
        ...(input.PermissionsBoundaryPolicyInputList && { permissionsBoundaryPolicyInputList: input.PermissionsBoundaryPolicyInputList }),
        context,
      });
      return {
        EvaluationResults: results.map((r) => ({
          EvalActionName: r.action,
          EvalResourceName: r.resource,
          EvalDecision: r.decision,
          MatchedStatements: r.matched.map((m) => ({ SourcePolicyId: m.policyId, SourcePolicyType: m.policyType })),
          MissingContextValues: r.missingContextKeys,
          ...(r.allowedByBoundary !== undefined && { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: r.allowedByBoundary } }),
        })),
        IsTruncated: false,
      };
    },
  };
}
