/**
 * The IAM records kept in the store. IAM is a global service: records are keyed by account, never
 * by region, and names are unique regardless of case, as IAM's are (the key holds the name in
 * lower case; the record keeps it as written).
 */

export interface Tag {
  Key: string;
  Value: string;
}

export interface RoleRecord {
  name: string;
  path: string;
  roleId: string;
  arn: string;
  /** Epoch milliseconds. */
  createDate: number;
  /** The trust policy as the caller sent it (IAM returns it as sent, URL-encoded). */
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: Tag[];
  /** Managed policy ARNs, in the order they were attached. */
  attachedPolicies: string[];
  /** Inline policies by name: the document as sent. */
  inlinePolicies: Record<string, string>;
  /** The service of a service-linked role (only AWS may change such a role). */
  linkedService?: string;
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  createDate: number;
}

/** A customer managed policy. AWS's own managed policies are built in (aws-managed-policies.ts). */
export interface PolicyRecord {
  name: string;
  path: string;
  policyId: string;
  arn: string;
  description?: string;
  createDate: number;
  updateDate: number;
  defaultVersionId: string;
  /** At most five; oldest first. */
  versions: PolicyVersionRecord[];
  /** The number the next version takes (`v<n>`): IAM never reuses a version id. */
  nextVersion: number;
  tags: Tag[];
}

export interface InstanceProfileRecord {
  name: string;
  path: string;
  instanceProfileId: string;
  arn: string;
  createDate: number;
  /** Role names; an instance profile holds at most one. */
  roles: string[];
  tags: Tag[];
}

export interface UserRecord {
  name: string;
  path: string;
  userId: string;
  arn: string;
  createDate: number;
  permissionsBoundary?: string;
  tags: Tag[];
  /** Inline policies by name: the document as sent (absent on records made before users had them). */
  inlinePolicies?: Record<string, string>;
  /** Managed policy ARNs, in the order they were attached (absent on records made before users had them). */
  attachedPolicies?: string[];
  /**
   * The names of the groups the user is in, as the groups write them, in the order it joined.
   * Membership lives here alone: a user's requests read it, GetGroup scans the account's users.
   */
  groups?: string[];
}

export interface GroupRecord {
  name: string;
  path: string;
  groupId: string;
  arn: string;
  createDate: number;
  /** Inline policies by name: the document as sent. */
  inlinePolicies: Record<string, string>;
  /** Managed policy ARNs, in the order they were attached. */
  attachedPolicies: string[];
}

export interface AccessKeyRecord {
  accessKeyId: string;
  userName: string;
  status: 'Active' | 'Inactive';
  createDate: number;
  /** The secret access key, sealed under the master key and bound to the key id. */
  sealedSecret: string;
}

export interface DeletionTaskRecord {
  status: 'SUCCEEDED' | 'IN_PROGRESS' | 'FAILED' | 'NOT_STARTED';
}

export const ROLES = 'iam-roles';
export const POLICIES = 'iam-policies';
export const INSTANCE_PROFILES = 'iam-instance-profiles';
export const USERS = 'iam-users';
export const GROUPS = 'iam-groups';
export const ACCESS_KEYS = 'iam-access-keys';
export const DELETION_TASKS = 'iam-deletion-tasks';

/** The store key of a named entity of an account. */
export const entityKey = (accountId: string, name: string): string => `${accountId}/${name.toLowerCase()}`;

/** The key prefix of all entities of an account in one collection. */
export const accountPrefix = (accountId: string): string => `${accountId}/`;
