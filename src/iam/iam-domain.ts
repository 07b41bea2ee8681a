import type { Store } from '../store/store.js';
import { Authorizer } from './authorization.js';
import { Groups } from './groups.js';
import { InstanceProfiles } from './instance-profiles.js';
import { ManagedPolicies } from './managed-policies.js';
import { roleTrusts, type RoleTrust } from './role-trust.js';
import { Roles } from './roles.js';
import { ServiceLinkedRoles } from './service-linked-roles.js';
import { SecurityTokens } from './sts/security-tokens.js';
import { Users, type SecretSealer } from './users.js';

/** The IAM domain over one store: roles, managed policies, instance profiles, users, groups and keys. */
export interface IamDomain {
  store: Store;
  roles: Roles;
  policies: ManagedPolicies;
  instanceProfiles: InstanceProfiles;
  serviceLinkedRoles: ServiceLinkedRoles;
  users: Users;
  groups: Groups;
  /** STS: temporary credentials, and the authentication of users' and temporary keys. */
  tokens: SecurityTokens;
  /** Decides requests made with an assumed role's credentials against the role's policies. */
  authorizer: Authorizer;
  /** See role-trust.ts. */
  roleTrusts(accountId: string, roleArn: string, servicePrincipal: string): Promise<RoleTrust>;
}

/** Wires the IAM domain; `sealer` seals secret access keys (the secrets' master-key cipher). */
export function createIamDomain(store: Store, sealer: SecretSealer): IamDomain {
  const roles = new Roles(store);
  const policies = new ManagedPolicies(store);
  return {
    store,
    roles,
    policies,
    authorizer: new Authorizer(store, policies),
    instanceProfiles: new InstanceProfiles(store),
    serviceLinkedRoles: new ServiceLinkedRoles(store, roles),
    users: new Users(store, sealer),
    groups: new Groups(store),
    tokens: new SecurityTokens(store, sealer),
    roleTrusts: (accountId, roleArn, servicePrincipal) => roleTrusts(store, accountId, roleArn, servicePrincipal),
  };
}
