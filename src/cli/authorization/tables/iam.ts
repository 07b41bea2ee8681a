import type { Scope } from '../../../lib/scope.js';
import { ACCESS_DENIED, global, type AuthorizationTable, type Input } from '../table.js';

/** The path of a role, user or group by name (`/` when there is none such), so that ARNs carry it. */
export interface IamPaths {
  role(scope: Scope, name: string): Promise<string | undefined>;
  user(scope: Scope, name: string): Promise<string | undefined>;
  group(scope: Scope, name: string): Promise<string | undefined>;
}

/*
 * IAM (prefix `iam`). An operation acts on the entity its input names, in this order:
 * SimulatePrincipalPolicy's PolicySourceArn; `instance-profile/<path><name>` (AddRoleToInstanceProfile
 * and RemoveRoleFromInstanceProfile act on the profile, as the reference has it); `role/<path><name>`
 * (AttachRolePolicy and PutRolePolicy act on the role); `group/<path><name>` (AddUserToGroup and
 * RemoveUserFromGroup act on the group); `user/<path><name>`; the PolicyArn. Create* take the path
 * from the input; a role's, group's or user's path is looked up. CreatePolicy acts on
 * `policy/<path><name>`. On `*`: the List* operations that name no entity, CreateServiceLinkedRole,
 * GetServiceLinkedRoleDeletionStatus, and the access-key operations without a UserName.
 */
export function iamAuthorization(paths: IamPaths): AuthorizationTable {
  const withPath = (path: string | undefined) => (path === undefined || path === '' ? '/' : path);
  return {
    prefix: 'iam',
    denial: ACCESS_DENIED,
    resources: {
      CreatePolicy: (input: Input, scope) => [global('iam', scope, `policy${withPath(input.Path)}${input.PolicyName}`)],
    },
    fallback: async (input: Input, scope) => {
      if (input.PolicySourceArn !== undefined) return [input.PolicySourceArn];
      if (input.InstanceProfileName !== undefined) {
        const path = input.Path ?? '/';
        return [global('iam', scope, `instance-profile${withPath(path)}${input.InstanceProfileName}`)];
      }
      if (input.RoleName !== undefined) {
        const path = input.Path ?? (await paths.role(scope, input.RoleName));
        return [global('iam', scope, `role${withPath(path)}${input.RoleName}`)];
      }
      if (input.GroupName !== undefined) {
        const path = input.Path ?? (await paths.group(scope, input.GroupName));
        return [global('iam', scope, `group${withPath(path)}${input.GroupName}`)];
      }
      if (input.UserName !== undefined) {
        const path = input.Path ?? (await paths.user(scope, input.UserName));
        return [global('iam', scope, `user${withPath(path)}${input.UserName}`)];
      }
      return [input.PolicyArn];
    },
  };
}
