import type { Page } from '../../lib/pagination.js';
import { pageRows, resumeAfter } from '../paging.js';
import type { Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';
import { invalidNextToken, parameterNotFound, validation } from './errors.js';
import {
  checkParameterFilters,
  matchesLegacyFilters,
  matchesParameterFilters,
  underPath,
  type ParameterStringFilter,
  type ParametersFilter,
} from './filters.js';
import { checkPath, parameterArn } from './names.js';
import type { ParameterRecord, ParameterVersionRecord } from './parameter.js';
import { PARAMETERS } from './parameter-values.js';
import type { FoundParameter, ParameterStore, ParameterView } from './parameter-store.js';

/** Options of GetParametersByPath. */
export interface ByPathOptions {
  path: string;
  recursive?: boolean;
  filters?: ParameterStringFilter[];
  decrypt: boolean;
  maxResults: number;
  nextToken?: string;
}

/** Options of DescribeParameters. */
export interface DescribeOptions {
  filters?: ParametersFilter[];
  parameterFilters?: ParameterStringFilter[];
  maxResults: number;
  nextToken?: string;
}

/** A parameter's latest version without its value, as DescribeParameters answers. */
export interface ParameterMetadata {
  name: string;
  arn: string;
  version: ParameterVersionRecord;
}

const latest = (record: ParameterRecord) => record.versions[record.versions.length - 1]!;

/** The listings of Parameter Store: by path, described, and a parameter's history. */
export class ParameterQueries {
  constructor(
    private readonly store: Store,
    private readonly parameters: ParameterStore,
  ) {}

  /**
   * GetParametersByPath: the parameters one level below `path` (or every level, recursively), in
   * name order. With a Label filter, the version holding the label is returned.
   */
  async byPath(scope: Scope, options: ByPathOptions): Promise<Page<ParameterView>> {
    checkPath(options.path);
    const filters = options.filters ?? [];
    checkParameterFilters(filters, 'by-path');
    const listing = `ssm-by-path\n${options.path}\n${options.recursive ? 'r' : '1'}`;
    const after = resumeAfter(listing, options.nextToken, invalidNextToken);
    const base = options.path.replace(/\/+$/, '');
    // Names under "/a" are stored under "<region>//a/..."; the root holds one-level names too.
    const prefix = base === '' ? `${scope.region}/` : `${scope.region}/${base}/`;
    const picked: Array<{ key: string; value: { found: FoundParameter; version: ParameterVersionRecord } }> = [];
    await this.scan(scope, prefix, after, (key, record) => {
      if (!underPath(record.name, options.path, options.recursive ?? false)) return false;
      const version = pickVersion(record, filters);
      if (!version || !matchesParameterFilters({ name: record.name, version, tags: record.tags }, filters)) return false;
      picked.push({ key, value: { found: this.found(scope, key, record), version } });
      return picked.length > options.maxResults;
    });
    const page = pageRows(listing, picked, options.maxResults);
    const items = await Promise.all(page.items.map(({ found, version }) => this.parameters.view(found, version, options.decrypt)));
    return { items, ...(page.nextToken && { nextToken: page.nextToken }) };
  }

  /** DescribeParameters: metadata of the latest versions, never values. */
  async describe(scope: Scope, options: DescribeOptions): Promise<Page<ParameterMetadata>> {
    const filters = options.filters ?? [];
    const parameterFilters = options.parameterFilters ?? [];
    if (filters.length > 0 && parameterFilters.length > 0) {
      throw validation('You can use either Filters or ParameterFilters in a single request.');
    }
    checkParameterFilters(parameterFilters, 'describe');
    const listing = 'ssm-describe';
    const after = resumeAfter(listing, options.nextToken, invalidNextToken);
    const picked: Array<{ key: string; value: ParameterMetadata }> = [];
    await this.scan(scope, `${scope.region}/`, after, (key, record) => {
      const subject = { name: record.name, version: latest(record), tags: record.tags };
      if (!matchesParameterFilters(subject, parameterFilters) || !matchesLegacyFilters(subject, filters)) return false;
      picked.push({ key, value: { name: record.name, arn: parameterArn(scope.region, scope.accountId, record.name), version: subject.version } });
      return picked.length > options.maxResults;
    });
    return pageRows(listing, picked, options.maxResults);
  }

  /** GetParameterHistory: every kept version, oldest first, with values. */
  async history(
    scope: Scope,
    name: string,
    options: { decrypt: boolean; maxResults: number; nextToken?: string },
  ): Promise<Page<ParameterView>> {
    const found = await this.parameters.find(this.store.collection<ParameterRecord>(PARAMETERS), scope, name);
    if (!found) throw parameterNotFound(name);
    const listing = `ssm-history\n${found.record.id}`;
    const after = resumeAfter(listing, options.nextToken, invalidNextToken);
    const rows = found.record.versions
      .map((v) => ({ key: String(v.version).padStart(6, '0'), value: v }))
      .filter((r) => after === undefined || r.key > after);
    const page = pageRows(listing, rows, options.maxResults);
    const items = await Promise.all(page.items.map((v) => this.parameters.view(found, v, options.decrypt)));
    return { items, ...(page.nextToken && { nextToken: page.nextToken }) };
  }

  /** Walks records in key order after `after`, until `visit` says the page is full. */
  private async scan(
    scope: Scope,
    prefix: string,
    after: string | undefined,
    visit: (key: string, record: ParameterRecord) => boolean,
  ): Promise<void> {
    const collection = this.store.collection<ParameterRecord>(PARAMETERS);
    let cursor = after;
    for (;;) {
      const rows = await collection.list({ prefix, ...(cursor !== undefined && { after: cursor }), limit: 100 });
      for (const row of rows) if (visit(row.key, row.value)) return;
      if (rows.length < 100) return;
      cursor = rows[rows.length - 1]!.key;
    }
  }

  private found(scope: Scope, key: string, record: ParameterRecord): FoundParameter {
    return { key, arn: parameterArn(scope.region, scope.accountId, record.name), record };
  }
}

/** The version a by-path listing shows: the latest, or with a Label filter the one holding a label. */
function pickVersion(record: ParameterRecord, filters: readonly ParameterStringFilter[]): ParameterVersionRecord | undefined {
  const label = filters.find((f) => f.Key === 'Label');
  if (!label) return latest(record);
  const wanted = label.Values ?? [];
  return [...record.versions].reverse().find((v) => v.labels.some((l) => wanted.includes(l)));
}
