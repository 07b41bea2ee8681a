import { ErrorKind } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import { invalidRegistryParameter, registryError } from '../errors.js';
import type { RepositoryRecord } from './records.js';
import type { Repositories } from './repositories.js';

const EFFECTS = new Set(['Allow', 'Deny']);

/**
 * Checks that a repository policy is an IAM policy document in shape: a JSON object with a
 * `Statement` (one or a list), each with `Effect` Allow or Deny and an `Action` or `NotAction`.
 * The policy is stored, not enforced (there is one account and no IAM).
 */
export function checkRepositoryPolicy(text: string): void {
  const invalid = () => invalidRegistryParameter("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid();
  const statement = (json as { Statement?: unknown }).Statement;
  const statements = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  if (statements.length === 0) throw invalid();
  for (const s of statements) {
    if (typeof s !== 'object' || s === null) throw invalid();
    const { Effect, Action, NotAction } = s as Record<string, unknown>;
    if (typeof Effect !== 'string' || !EFFECTS.has(Effect) || (Action === undefined && NotAction === undefined)) throw invalid();
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
