import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { sharedKeysDir } from '../lib/key-file.js';
import { openScanningDatabase, SCANNING_DB_FILE } from '../scanning/scanning-database.js';
import type { Store } from '../store/store.js';
import { TokenSigner } from './auth/tokens.js';
import { Lifecycle } from './lifecycle/lifecycle.js';
import { BlobIndex } from './metadata/blobs.js';
import { ImageQueries } from './metadata/image-queries.js';
import { Images } from './metadata/images.js';
import { Repositories } from './metadata/repositories.js';
import { RepositoryPolicies } from './metadata/repository-policy.js';
import { ResourceTags } from './metadata/resource-tags.js';
import { PullThroughCache, type RegistryLogger } from './pull-through/cache.js';
import { TagChecks } from './pull-through/checks.js';
import { UpstreamClients, type SecretResolver } from './pull-through/credentials.js';
import { UpstreamImporter } from './pull-through/importer.js';
import { PullThroughRules } from './pull-through/rules.js';
import { ImageScans } from './scanning/image-scans.js';
import { BlobFiles } from './storage/blob-files.js';
import { collectGarbage, type GcReport } from './storage/gc.js';
import { Uploads } from './storage/uploads.js';

/** How the registry is set up. */
export interface RegistryOptions {
  /** The platform's data dir: blobs go to `<dataDir>/registry/` unless `blobDir` is given. */
  dataDir: string;
  /**
   * A directory shared by replicas (each with its own data dir): blobs and upload files go to
   * `<blobDir>/registry/`, the token key to `<blobDir>/keys/`, so that any replica serves what
   * another stored and accepts the tokens another issued.
   */
  blobDir?: string;
  store: Store;
  /** The account that owns every repository. */
  accountId: string;
  /** Epoch ms; tests pass a controllable clock. */
  clock?: () => number;
  /** Idle upload sessions are removed after this long (default 24 h). */
  uploadTtlMs?: number;
  /** Unreferenced blobs younger than this are kept by the garbage collector (default 1 h). */
  gcGraceMs?: number;
  /**
   * How long a pull through cache tag is served before its upstream is asked for a newer image
   * (default 24 h, ECR's interval).
   */
  pullThroughRefreshMs?: number;
  /** Reads a Secrets Manager secret (a pull through cache rule's credentialArn): its SecretString. */
  resolveSecret?: SecretResolver;
  /** Where the registry reports failures it works around (an upstream that failed a refresh, a scan). */
  logger?: RegistryLogger;
  /** The scanning database; default `<dataDir>/scanning.db`, opened (and closed) by the registry. */
  scanningDb?: Database.Database;
}

/** The token key's file name in `<dataDir>/registry/`. */
const TOKEN_KEY_FILE = 'token.key';
/** Its name among a blob dir's shared keys. */
export const SHARED_TOKEN_KEY_FILE = 'registry-token.key';

/** The default idle time after which an upload session expires. */
export const DEFAULT_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;
/** The default grace window of the garbage collector. */
export const DEFAULT_GC_GRACE_MS = 60 * 60 * 1000;
/** How often ECR checks the upstream of a pull through cache tag: at most once every 24 hours. */
export const DEFAULT_PULL_THROUGH_REFRESH_MS = 24 * 60 * 60 * 1000;

/**
 * The container registry: repositories, manifests and tags in the Store, blobs on disk, upload
 * sessions, tokens, lifecycle policies. Both edges (`/v2/` and the ECR API) work on this object.
 */
export class Registry {
  readonly repositories: Repositories;
  readonly images: Images;
  readonly queries: ImageQueries;
  readonly blobs: BlobIndex;
  readonly uploads: Uploads;
  readonly lifecycle: Lifecycle;
  readonly resourceTags: ResourceTags;
  readonly policies: RepositoryPolicies;
  readonly pullThroughRules: PullThroughRules;
  readonly pullThrough: PullThroughCache;
  readonly scans: ImageScans;
  readonly clock: () => number;

  private constructor(
    readonly options: RegistryOptions,
    readonly files: BlobFiles,
    readonly tokens: TokenSigner,
    private readonly scanningDb: { db: Database.Database; owned: boolean },
  ) {
    this.clock = options.clock ?? Date.now;
    const { store } = options;
    this.repositories = new Repositories(store);
    this.blobs = new BlobIndex(store, this.clock);
    this.images = new Images(store, this.blobs, this.repositories, this.clock);
    this.queries = new ImageQueries(store);
    this.uploads = new Uploads(store, files, this.blobs, this.clock, options.uploadTtlMs ?? DEFAULT_UPLOAD_TTL_MS);
    this.lifecycle = new Lifecycle(store, this.repositories, this.images, this.queries);
    this.resourceTags = new ResourceTags(store, this.repositories);
    this.policies = new RepositoryPolicies(this.repositories);
    this.scans = new ImageScans({ store, images: this.images, files, db: scanningDb.db, clock: this.clock, ...(options.logger && { logger: options.logger }) });
    this.images.onNewManifest = this.scans.onNewManifest;
    this.images.afterNewManifest = this.scans.afterNewManifest;
    const upstreams = new UpstreamClients(options.resolveSecret);
    this.pullThroughRules = new PullThroughRules(store, upstreams);
    this.pullThrough = new PullThroughCache(
      {
        rules: this.pullThroughRules,
        repositories: this.repositories,
        images: this.images,
        importer: new UpstreamImporter(this.images, this.uploads, this.blobs),
        checks: new TagChecks(store),
        upstreams,
      },
      {
        refreshIntervalMs: options.pullThroughRefreshMs ?? DEFAULT_PULL_THROUGH_REFRESH_MS,
        clock: this.clock,
        ...(options.logger && { logger: options.logger }),
      },
    );
  }

  /** Opens the registry in the data dir or blob dir (creating its directories and token key). */
  static async open(options: RegistryOptions): Promise<Registry> {
    const own = join(options.dataDir, 'registry');
    const files = new BlobFiles(options.blobDir === undefined ? own : join(options.blobDir, 'registry'));
    await files.init();
    const tokens =
      options.blobDir === undefined
        ? TokenSigner.load(join(own, TOKEN_KEY_FILE))
        : TokenSigner.load(join(sharedKeysDir(options.blobDir), SHARED_TOKEN_KEY_FILE), join(own, TOKEN_KEY_FILE));
    const scanningDb = options.scanningDb ? { db: options.scanningDb, owned: false } : { db: openScanningDatabase(join(options.dataDir, SCANNING_DB_FILE)), owned: true };
    return new Registry(options, files, tokens, scanningDb);
  }

  /** Closes the scanning database the registry opened (stop the background scans first). */
  close(): void {
    if (this.scanningDb.owned) this.scanningDb.db.close();
  }

  /** The account that owns the repositories. */
  get accountId(): string {
    return this.options.accountId;
  }

  /** Runs the online garbage collector once. */
  collectGarbage(): Promise<GcReport> {
    return collectGarbage(this.options.store, this.files, this.clock, this.options.gcGraceMs ?? DEFAULT_GC_GRACE_MS);
  }

  /**
   * Starts the background work: expired upload sessions, lifecycle policies and garbage
   * collection, every `intervalMs` (one run at a time). Returns a function that stops it and waits
   * for a run in progress.
   */
  startMaintenance(intervalMs: number, onError: (err: unknown) => void): () => Promise<void> {
    let running: Promise<void> | undefined;
    const run = async () => {
      await this.uploads.sweep();
      await this.lifecycle.applyAll(this.accountId, new Date(this.clock()));
      await this.collectGarbage();
    };
    const timer = setInterval(() => {
      if (running) return;
      running = run()
        .catch(onError)
        .finally(() => (running = undefined));
    }, intervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }
}
