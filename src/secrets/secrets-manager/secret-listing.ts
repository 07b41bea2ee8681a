import { isDomainError, type DomainError } from '../../lib/errors.js';
import type { Page } from '../../lib/pagination.js';
import { pageRows, resumeAfter } from '../paging.js';
import type { Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';
import { invalidNextToken, secretNotFound } from './errors.js';
import { checkFilters, matchesFilters, type SecretFilter } from './list-filters.js';
import { findSecret, SECRETS } from './secret-store.js';
import { isGone, type SecretRecord, type SecretVersionRecord } from './secret.js';
import type { SecretsManager, SecretValueView } from './secrets-manager.js';

/** How ListSecrets orders (SortBy); created-date is the default. */
export type SecretSortBy = 'created-date' | 'last-accessed-date' | 'last-changed-date' | 'name';

/** Options of ListSecrets. */
export interface ListSecretsOptions {
  filters?: SecretFilter[];
  includePlannedDeletion?: boolean;
  sortBy?: SecretSortBy;
  sortOrder?: 'asc' | 'desc';
  maxResults: number;
  nextToken?: string;
}

/** One failed entry of BatchGetSecretValue. */
export interface BatchFailure {
  secretId: string;
  error: DomainError;
}

/** Listings over many secrets: ListSecrets, ListSecretVersionIds, BatchGetSecretValue. */
export class SecretListing {
  constructor(
    private readonly store: Store,
    private readonly secrets: SecretsManager,
  ) {}

  /** ListSecrets: metadata only, filtered, sorted, a page at a time. */
  async list(scope: Scope, options: ListSecretsOptions): Promise<Page<SecretRecord>> {
    checkFilters(options.filters ?? []);
    const sortBy = options.sortBy ?? 'created-date';
    const desc = options.sortOrder === 'desc';
    const listing = `sm-list/${sortBy}/${desc ? 'desc' : 'asc'}`;
    const after = resumeAfter(listing, options.nextToken, invalidNextToken);
    const rows = (await this.all(scope))
      .filter((s) => options.includePlannedDeletion || s.deletedDate === undefined)
      .filter((s) => matchesFilters(s, options.filters ?? []))
      .map((s) => ({ key: sortKey(s, sortBy), value: s }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * (desc ? -1 : 1))
      .filter((r) => after === undefined || (desc ? r.key < after : r.key > after));
    return pageRows(listing, rows, options.maxResults);
  }

  /** ListSecretVersionIds: versions with labels, and deprecated ones on request, oldest first. */
  async versionIds(
    scope: Scope,
    secretId: string,
    options: { includeDeprecated?: boolean; maxResults: number; nextToken?: string },
  ): Promise<{ secret: SecretRecord; page: Page<SecretVersionRecord> }> {
    const found = await findSecret(this.store.collection<SecretRecord>(SECRETS), scope, secretId);
    if (!found) throw secretNotFound();
    const listing = `sm-versions/${found.secret.arn}`;
    const after = resumeAfter(listing, options.nextToken, invalidNextToken);
    const rows = found.secret.versions
      .map((v, i) => ({ key: String(i).padStart(4, '0'), value: v }))
      .filter((r) => options.includeDeprecated || r.value.stages.length > 0)
      .filter((r) => after === undefined || r.key > after);
    return { secret: found.secret, page: pageRows(listing, rows, options.maxResults) };
  }

  /** BatchGetSecretValue: the AWSCURRENT values of listed secrets, or of those passing filters. */
  async batchGet(
    scope: Scope,
    request: { secretIds?: string[]; filters?: SecretFilter[]; maxResults?: number; nextToken?: string },
  ): Promise<{ values: SecretValueView[]; errors: BatchFailure[]; nextToken?: string }> {
    const values: SecretValueView[] = [];
    const errors: BatchFailure[] = [];
    const read = async (secretId: string) => {
      try {
        values.push(await this.secrets.getValue(scope, secretId));
      } catch (err) {
        if (!isDomainError(err)) throw err;
        errors.push({ secretId, error: err });
      }
    };
    if (request.secretIds) {
      for (const id of request.secretIds) await read(id);
      return { values, errors };
    }
    const page = await this.list(scope, {
      filters: request.filters ?? [],
      maxResults: request.maxResults ?? 20,
      ...(request.nextToken !== undefined && { nextToken: request.nextToken }),
    });
    for (const secret of page.items) await read(secret.arn);
    return { values, errors, ...(page.nextToken && { nextToken: page.nextToken }) };
  }

  private async all(scope: Scope): Promise<SecretRecord[]> {
    const rows = await this.store.collection<SecretRecord>(SECRETS).list({ prefix: `${scope.region}/` });
    return rows.map((r) => r.value).filter((s) => !isGone(s, scope.now));
  }
}

// Fixed-width numbers sort as text; the name breaks ties and makes every key unique.
function sortKey(secret: SecretRecord, sortBy: SecretSortBy): string {
  const pad = (ms: number | undefined) => String(ms ?? 0).padStart(16, '0');
  switch (sortBy) {
    case 'name':
      return secret.name;
    case 'last-accessed-date':
      return `${pad(secret.lastAccessedDate)}\0${secret.name}`;
    case 'last-changed-date':
      return `${pad(secret.lastChangedDate)}\0${secret.name}`;
    default:
      return `${pad(secret.createdDate)}\0${secret.name}`;
  }
}
