import { ErrorKind } from '../../lib/errors.js';
import { decodeToken, pageOf, type Page } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';
import { invalidRegistryParameter, registryError } from '../errors.js';
import { Collections } from '../metadata/records.js';
import type { UpstreamClients } from './credentials.js';

/** A pull through cache rule: repositories under `ecrRepositoryPrefix` mirror an upstream registry. */
export interface PullThroughRule {
  ecrRepositoryPrefix: string;
  /**
   * The upstream registry as the rule was created with it (ECR returns it as sent: `public.ecr.aws`
   * stays without a scheme); `upstreamBaseUrl` gives the URL minato asks (any OCI distribution registry).
   */
  upstreamRegistryUrl: string;
  registryId: string;
  region: string;
  upstreamRegistry?: string;
  upstreamRepositoryPrefix?: string;
  credentialArn?: string;
  customRoleArn?: string;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
}

/** What CreatePullThroughCacheRule accepts. */
export type PullThroughRuleInput = Pick<PullThroughRule, 'ecrRepositoryPrefix' | 'upstreamRegistryUrl'> &
  Partial<Pick<PullThroughRule, 'upstreamRegistry' | 'upstreamRepositoryPrefix' | 'credentialArn' | 'customRoleArn'>>;

const ruleKey = (region: string, prefix: string) => `${region}/${prefix}`;
/** ECR's special prefix for a rule that covers every repository name. */
export const ROOT_PREFIX = 'ROOT';

/** Pull through cache rules of the account, per region. */
export class PullThroughRules {
  constructor(
    private readonly store: Store,
    private readonly upstreams: UpstreamClients,
  ) {}

  /** Creates a rule; the prefix must be free. */
  async create(scope: Scope, input: PullThroughRuleInput): Promise<PullThroughRule> {
    normaliseUpstreamUrl(input.upstreamRegistryUrl);
    const now = scope.now.getTime();
    const prefix = input.ecrRepositoryPrefix.replace(/\/$/, '');
    const rule: PullThroughRule = {
      ...input,
      ecrRepositoryPrefix: prefix,
      registryId: scope.accountId,
      region: scope.region,
      createdAt: now,
      updatedAt: now,
    };
    const created = await this.rules().insert(ruleKey(scope.region, prefix), rule);
    if (!created) {
      throw registryError(
        ErrorKind.AlreadyExists,
        'pull-through-rule-exists',
        `A pull through cache rule with these settings already exists for the private registry with id '${scope.accountId}'`,
      );
    }
    return rule;
  }

  /** The rule of a prefix, or PullThroughCacheRuleNotFound. */
  async get(scope: Scope, prefix: string): Promise<PullThroughRule> {
    const rule = await this.rules().get(ruleKey(scope.region, prefix.replace(/\/$/, '')));
    if (!rule) throw notFound(scope, prefix);
    return rule;
  }

  /** Rules of the region in prefix order, a page at a time. */
  async list(scope: Scope, maxResults: number, nextToken: string | undefined): Promise<Page<PullThroughRule>> {
    const after = decodeToken('pull-through-rules', nextToken);
    const rows = await this.rules().list({ prefix: `${scope.region}/`, ...(after !== undefined && { after }), limit: maxResults + 1 });
    return pageOf('pull-through-rules', rows, maxResults);
  }

  /** Changes the credentials of a rule. */
  async update(scope: Scope, prefix: string, change: Pick<PullThroughRule, 'credentialArn' | 'customRoleArn'>): Promise<PullThroughRule> {
    return this.store.transaction(async (tx) => {
      const rules = tx.collection<PullThroughRule>(Collections.PullThroughRules);
      const key = ruleKey(scope.region, prefix.replace(/\/$/, ''));
      const current = await rules.get(key);
      if (!current) throw notFound(scope, prefix);
      const next = { ...current, ...definedOnly(change), updatedAt: scope.now.getTime() };
      await rules.put(key, next);
      return next;
    });
  }

  /** Deletes a rule; returns it. Repositories it created stay. */
  async delete(scope: Scope, prefix: string): Promise<PullThroughRule> {
    const rule = await this.get(scope, prefix);
    await this.rules().delete(ruleKey(scope.region, rule.ecrRepositoryPrefix));
    return rule;
  }

  /** Whether the rule's upstream answers as a distribution registry (and takes its credentials), and why not. */
  async validate(scope: Scope, prefix: string): Promise<{ rule: PullThroughRule; isValid: boolean; failure?: string }> {
    const rule = await this.get(scope, prefix);
    const ping = await this.upstreams.for({ ...rule, upstreamRegistryUrl: upstreamBaseUrl(rule) }).ping();
    return ping.ok ? { rule, isValid: true } : { rule, isValid: false, failure: ping.reason };
  }

  /**
   * The rule that covers a repository name, and the upstream repository it maps to: the longest
   * matching `<prefix>/` wins, `ROOT` covers names no other rule does.
   */
  async match(region: string, name: string): Promise<{ rule: PullThroughRule; upstreamRepository: string } | undefined> {
    const segments = name.split('/');
    for (let n = segments.length - 1; n >= 1; n--) {
      const rule = await this.rules().get(ruleKey(region, segments.slice(0, n).join('/')));
      if (rule) return { rule, upstreamRepository: upstreamName(rule, segments.slice(n).join('/')) };
    }
    const root = await this.rules().get(ruleKey(region, ROOT_PREFIX));
    return root && { rule: root, upstreamRepository: upstreamName(root, name) };
  }

  private rules() {
    return this.store.collection<PullThroughRule>(Collections.PullThroughRules);
  }
}

function upstreamName(rule: PullThroughRule, rest: string): string {
  const prefix = rule.upstreamRepositoryPrefix && rule.upstreamRepositoryPrefix !== ROOT_PREFIX ? `${rule.upstreamRepositoryPrefix.replace(/\/$/, '')}/` : '';
  return `${prefix}${rest}`;
}

/** The base URL minato asks for a rule's upstream. */
export const upstreamBaseUrl = (rule: Pick<PullThroughRule, 'upstreamRegistryUrl'>): string => normaliseUpstreamUrl(rule.upstreamRegistryUrl);

/** `host[:port]` or a URL → `scheme://host[:port]`; https unless the URL says http. */
export function normaliseUpstreamUrl(value: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalidRegistryParameter(`Invalid parameter at 'upstreamRegistryUrl' failed to satisfy constraint: 'must be a registry URL', got '${value}'`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || (url.pathname !== '/' && url.pathname !== '') || url.search || url.username) {
    throw invalidRegistryParameter(`Invalid parameter at 'upstreamRegistryUrl' failed to satisfy constraint: 'must be a registry URL', got '${value}'`);
  }
  return `${url.protocol}//${url.host}`;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const notFound = (scope: Scope, prefix: string) =>
  registryError(
    ErrorKind.NotFound,
    'pull-through-rule',
    `The pull through cache rule with prefix '${prefix}' does not exist in the registry with id '${scope.accountId}'`,
  );
