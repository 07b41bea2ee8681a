import { ErrorKind } from '../../lib/errors.js';
import { parsePolicyDocument } from '../../lib/policy-document.js';
import type { Scope } from '../../lib/scope.js';
import { invalidRegistryParameter, registryError } from '../errors.js';
import type { RepositoryRecord } from './records.js';
import type { Repositories } from './repositories.js';

/**
 * Checks that a repository policy is a resource-based IAM policy document (lib/policy-document.ts).
 * The policy is stored, not enforced (there is one account and no IAM).
 */
export function checkRepositoryPolicy(text: string): void {
  if (!parsePolicyDocument(text, 'resource').ok) {
    throw invalidRegistryParameter("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
  }
}

/** The repository policy of a repository: set, get, delete. */
export class RepositoryPolicies {
  constructor(private readonly repositories: Repositories) {}

  /** Validates and stores a policy. */
  set(scope: Scope, name: string, text: string): Promise<RepositoryRecord> {
    checkRepositoryPolicy(text);
    return this.repositories.update(scope, name, (r) => ({ ...r, policyText: text }));
  }

  /** The stored policy text, or RepositoryPolicyNotFound. */
  async get(scope: Scope, name: string): Promise<string> {
    const repository = await this.repositories.get(scope, name);
    if (repository.policyText === undefined) throw policyNotFound(scope, name);
    return repository.policyText;
  }

  /** Removes the policy; returns its text. */
  async delete(scope: Scope, name: string): Promise<string> {
    let removed: string | undefined;
    await this.repositories.update(scope, name, ({ policyText, ...rest }) => {
      removed = policyText;
      return rest;
    });
    if (removed === undefined) throw policyNotFound(scope, name);
    return removed;
  }
}

const policyNotFound = (scope: Scope, name: string) =>
  registryError(
    ErrorKind.NotFound,
    'policy',
    `Repository policy does not exist for the repository with name '${name}' in the registry with id '${scope.accountId}'`,
  );
