import { isDomainError } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import { digestOf, looksLikeDigest, requireDigest } from '../digest.js';
import type { Images } from '../metadata/images.js';
import type { RepositoryRecord } from '../metadata/records.js';
import type { Repositories } from '../metadata/repositories.js';
import { refreshDue, type TagChecks } from './checks.js';
import type { UpstreamClients } from './credentials.js';
import type { UpstreamImporter, UpstreamSource } from './importer.js';
import { upstreamBaseUrl, type PullThroughRule, type PullThroughRules } from './rules.js';
import { upstreamStatusError } from './upstream-errors.js';

/** Where the registry reports what it works around (a pino logger fits). */
export interface RegistryLogger {
  warn(obj: object, msg: string): void;
}

/** How {@link PullThroughCache} behaves. */
export interface PullThroughCacheOptions {
  /** How long a cached tag is served before the upstream is asked for a newer image (ECR: 24 h). */
  refreshIntervalMs: number;
  clock: () => number;
  logger?: RegistryLogger;
}

/** What the cache works with. */
export interface PullThroughCacheParts {
  rules: PullThroughRules;
  repositories: Repositories;
  images: Images;
  importer: UpstreamImporter;
  checks: TagChecks;
  upstreams: UpstreamClients;
}

/** A refresh only asks whether the tag moved: it must not hold a pull up for long. */
const REFRESH_TIMEOUT_MS = 10_000;

/**
 * Pull through cache, as ECR does it. A pull of `<prefix>/<repo>` where a rule covers `<prefix>`:
 * - a miss fetches the image from the rule's upstream into a repository of that name (created on
 *   first use, as ECR does); an upstream failure is the pull's failure, with its own OCI error;
 * - a hit by tag, when the tag was last compared with the upstream `refreshIntervalMs` ago or
 *   more, first asks the upstream for the tag's digest (a HEAD) and fetches the image when it
 *   moved; when the upstream fails, the cached image is served and the failure is logged and kept
 *   with the tag (see checks.ts);
 * - a hit by digest is always served: content-addressed images never change.
 * Concurrent pulls of one image share one fetch or refresh.
 */
export class PullThroughCache {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    private readonly parts: PullThroughCacheParts,
    private readonly options: PullThroughCacheOptions,
  ) {}

  /** Before a manifest GET or HEAD of `reference` in repository `name`: see the class comment. */
  async prepare(scope: Scope, name: string, reference: string): Promise<void> {
    const match = await this.parts.rules.match(scope.region, name);
    if (!match) return;
    const repository = await this.parts.repositories.find(scope.region, name);
    const found = repository && (await this.parts.images.find(repository, reference));
    const source: UpstreamSource = { client: this.parts.upstreams.for({ ...match.rule, upstreamRegistryUrl: upstreamBaseUrl(match.rule) }), repository: match.upstreamRepository };
    if (!repository || !found) {
      return this.once(`fetch ${scope.region}/${name}@${reference}`, () => this.fetch(scope, name, reference, source));
    }
    if (looksLikeDigest(reference)) return;
    const check = await this.parts.checks.get(repository.uid, reference);
    if (!refreshDue(check, this.options.clock(), this.options.refreshIntervalMs)) return;
    await this.once(`refresh ${repository.uid}/${reference}`, () => this.refresh(scope, repository, reference, found.record.digest, source, match.rule));
  }

  /** A miss: the image from upstream, or the upstream's failure. */
  private async fetch(scope: Scope, name: string, reference: string, source: UpstreamSource): Promise<void> {
    // The repository is created (as ECR does on a first pull) only once the upstream has the image.
    const top = await this.parts.importer.fetchManifest(source, reference);
    const repository = await this.repositoryFor(scope, name);
    await this.parts.importer.store(scope, source, repository, reference, top);
    if (!looksLikeDigest(reference)) await this.parts.checks.checked(repository.uid, reference, this.options.clock());
  }

  /** A hit that is due: the upstream's current image of the tag, else the cached one and a record of why. */
  private async refresh(scope: Scope, repository: RepositoryRecord, tag: string, cached: string, source: UpstreamSource, rule: PullThroughRule): Promise<void> {
    try {
      const head = await source.client.manifest(source.repository, tag, { method: 'HEAD', timeoutMs: REFRESH_TIMEOUT_MS });
      await head.body?.cancel();
      if (!head.ok) throw upstreamStatusError(head.status, `${source.repository}:${tag}`, source.client.baseUrl);
      // Without a digest header, only the manifest itself tells.
      if (head.headers.get('docker-content-digest') !== cached) {
        const fetched = await this.parts.importer.fetchManifest(source, tag, { timeoutMs: REFRESH_TIMEOUT_MS });
        if (digestOf(fetched.bytes, requireDigest(cached).algorithm) !== cached) await this.parts.importer.store(scope, source, repository, tag, fetched);
      }
      await this.parts.checks.checked(repository.uid, tag, this.options.clock());
    } catch (err) {
      const message = (err as Error).message;
      await this.parts.checks.failed(repository.uid, tag, this.options.clock(), message);
      this.options.logger?.warn(
        { err, repository: repository.name, tag, upstream: rule.upstreamRegistryUrl, upstreamRepository: source.repository },
        'pull through cache: the upstream could not be checked for a newer image; serving the cached one',
      );
    }
  }

  private async repositoryFor(scope: Scope, name: string): Promise<RepositoryRecord> {
    const existing = await this.parts.repositories.find(scope.region, name);
    if (existing) return existing;
    try {
      return await this.parts.repositories.create(scope, { repositoryName: name });
    } catch (err) {
      // Created by a concurrent pull of another image of the same name.
      if (isDomainError(err) && err.subject === 'repository-exists') return this.parts.repositories.get(scope, name);
      throw err;
    }
  }

  /** Runs `work` unless the same work is under way; then waits for that. */
  private once(key: string, work: () => Promise<void>): Promise<void> {
    let running = this.inflight.get(key);
    if (!running) {
      running = work().finally(() => this.inflight.delete(key));
      this.inflight.set(key, running);
    }
    return running;
  }
}
