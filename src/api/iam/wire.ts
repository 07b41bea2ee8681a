import { encodeDocument } from '../../iam/documents.js';
import type { InstanceProfileView } from '../../iam/instance-profiles.js';
import type { AttachedPolicyView } from '../../iam/attachments.js';
import { pageByMarker } from '../../iam/paging.js';
import type { PolicyVersionView, PolicyView } from '../../iam/managed-policies.js';
import type { AccessKeyRecord, GroupRecord, RoleRecord, Tag, UserRecord } from '../../iam/records.js';

/** IAM's wire shapes from domain records. Timestamps in epoch seconds (the Query writer formats them). */

const seconds = (ms: number) => ms / 1000;

/** A role as ListRoles shows it; GetRole, CreateRole and UpdateRole add tags and last use. */
export function roleOut(role: RoleRecord, detail: boolean): Record<string, unknown> {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: seconds(role.createDate),
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicyDocument),
    ...(role.description !== undefined && { Description: role.description }),
    MaxSessionDuration: role.maxSessionDuration,
    ...(detail && role.permissionsBoundary !== undefined && {
      PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: role.permissionsBoundary },
    }),
    ...(detail && role.tags.length > 0 && { Tags: tagsOut(role.tags) }),
    ...(detail && { RoleLastUsed: {} }),
  };
}

export function tagsOut(tags: readonly Tag[]): Tag[] {
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

export function policyOut(p: PolicyView, withTags: boolean): Record<string, unknown> {
  return {
    PolicyName: p.name,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: p.attachmentCount,
    PermissionsBoundaryUsageCount: p.boundaryUsageCount,
    IsAttachable: true,
    ...(p.description !== undefined && withTags && { Description: p.description }),
    CreateDate: seconds(p.createDate),
    UpdateDate: seconds(p.updateDate),
    ...(withTags && p.tags.length > 0 && { Tags: tagsOut(p.tags) }),
  };
}

export function versionOut(v: PolicyVersionView, withDocument: boolean): Record<string, unknown> {
  return {
    ...(withDocument && { Document: encodeDocument(v.document) }),
    VersionId: v.versionId,
    IsDefaultVersion: v.isDefaultVersion,
    CreateDate: seconds(v.createDate),
  };
}

export function instanceProfileOut(v: InstanceProfileView): Record<string, unknown> {
  return {
    Path: v.profile.path,
    InstanceProfileName: v.profile.name,
    InstanceProfileId: v.profile.instanceProfileId,
    Arn: v.profile.arn,
    CreateDate: seconds(v.profile.createDate),
    Roles: v.roles.map((r) => roleOut(r, false)),
    ...(v.profile.tags.length > 0 && { Tags: tagsOut(v.profile.tags) }),
  };
}

export function userOut(u: UserRecord, detail: boolean): Record<string, unknown> {
  return {
    Path: u.path,
    UserName: u.name,
    UserId: u.userId,
    Arn: u.arn,
    CreateDate: seconds(u.createDate),
    ...(detail && u.permissionsBoundary !== undefined && {
      PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: u.permissionsBoundary },
    }),
    ...(detail && u.tags.length > 0 && { Tags: tagsOut(u.tags) }),
  };
}

export function groupOut(g: GroupRecord): Record<string, unknown> {
  return { Path: g.path, GroupName: g.name, GroupId: g.groupId, Arn: g.arn, CreateDate: seconds(g.createDate) };
}

/** One page of ListAttached{Role,User,Group}Policies, in the order the policies were attached. */
export function attachedPoliciesOut(listing: string, attached: readonly AttachedPolicyView[], input: { Marker?: string; MaxItems?: number }): Record<string, unknown> {
  const page = pageByMarker(listing, attached.map((p, i) => ({ key: String(i).padStart(4, '0'), value: p })), input.Marker, input.MaxItems);
  return { AttachedPolicies: page.items.map((p) => ({ PolicyName: p.name, PolicyArn: p.arn })), ...paging(page.marker) };
}

/** One page of inline policy names, in name order. */
export function policyNamesOut(listing: string, names: readonly string[], input: { Marker?: string; MaxItems?: number }): Record<string, unknown> {
  const page = pageByMarker(listing, [...names].sort().map((n) => ({ key: n, value: n })), input.Marker, input.MaxItems);
  return { PolicyNames: page.items, ...paging(page.marker) };
}

export function accessKeyOut(k: AccessKeyRecord): Record<string, unknown> {
  return { UserName: k.userName, AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: seconds(k.createDate) };
}

/** IAM's paging members of a listing output. */
export function paging(marker: string | undefined): { IsTruncated: boolean; Marker?: string } {
  return marker === undefined ? { IsTruncated: false } : { IsTruncated: true, Marker: marker };
}

/** A List*Tags answer: the tags in the order they were given, paged by MaxItems and Marker. */
export function tagsPage(listing: string, tags: readonly Tag[], input: { Marker?: string; MaxItems?: number }): { Tags: Tag[]; IsTruncated: boolean; Marker?: string } {
  const rows = tags.map((t, i) => ({ key: String(i).padStart(4, '0'), value: t }));
  const page = pageByMarker(listing, rows, input.Marker, input.MaxItems);
  return { Tags: tagsOut(page.items), ...paging(page.marker) };
}
