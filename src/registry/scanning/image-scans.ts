import type Database from 'better-sqlite3';
import { ErrorKind } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import { AdvisoryDb, MemoizedAdvisories, type AdvisoryLookup } from '../../scanning/advisories/advisory-db.js';
import { SqliteLayerInventoryCache } from '../../scanning/inventory/layer-cache.js';
import { scanImage, type ImageLayer } from '../../scanning/scan.js';
import type { Store, Transaction } from '../../store/store.js';
import { parseDigest } from '../digest.js';
import { manifestUnknown, registryError, repositoryNotFound } from '../errors.js';
import { parseManifest } from '../manifest.js';
import { IMAGE_CONFIG_TYPES, IMAGE_MANIFEST_TYPES } from '../media-types.js';
import type { Images } from '../metadata/images.js';
import { Collections, ownedKey, repositoryKey, type ManifestBody, type ManifestRecord, type RepositoryRecord } from '../metadata/records.js';
import type { BlobFiles } from '../storage/blob-files.js';
import { imageChecks, parseImageConfig } from './image-checks.js';
import { carryFirstObserved, failedOutcome, scanOutcome, type ScanOutcome } from './scan-outcome.js';
import { scanKey, type ImageScanFindingsDoc, type ImageScanRecord, type RegistryScanningConfiguration, type StoredCheck, type StoredFinding } from './scan-records.js';
import { DEFAULT_SCANNING_CONFIGURATION, checkScanningConfiguration, repositoryScanning, type RepositoryScanning } from './scanning-configuration.js';

/** ECR basic scanning scans an image at most once a day, the scan on push included. */
export const SCAN_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** How many scans share one memo of advisory lookups at most. */
const MEMO_SCANS = 1000;

/** Where scanning reports what it works around (a scan that failed to run, a pass that failed). */
export interface ScanLogger {
  warn(obj: object, msg: string): void;
}

/** What ImageScans works with. */
export interface ImageScansDeps {
  store: Store;
  images: Images;
  files: BlobFiles;
  /** The scanning database (advisories and cached layer inventories). */
  db: Database.Database;
  clock: () => number;
  logger?: ScanLogger;
}

/** A scan record without the fields a new outcome decides. */
const withoutOutcome = ({ description: _d, failure: _f, ...rest }: ImageScanRecord): Omit<ImageScanRecord, 'description' | 'failure'> => rest;
/** An outcome's record fields (its findings go to their own document). */
const recordFields = ({ findings: _f, checks: _c, ...rest }: ScanOutcome): Omit<ScanOutcome, 'findings' | 'checks'> => rest;

/**
 * ECR image scanning: the registry scanning configuration, scan requests (on push and by
 * StartImageScan), a background worker that scans one image at a time after the request is
 * answered, and continuous re-evaluation of stored inventories when the advisories change.
 */
export class ImageScans {
  readonly advisories: AdvisoryDb;
  private readonly cache: SqliteLayerInventoryCache;
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  /** Scans requested by pushes whose transaction has not yet committed. */
  private readonly requested: string[] = [];
  private working: Promise<void> | undefined;
  private lastRevision: string | undefined;
  private reevaluating: Promise<number> | undefined;
  /** The worker's lookups, shared by its scans while the advisories stay at one revision. */
  private memo: { revision: string; lookup: MemoizedAdvisories; scans: number } | undefined;
  private closed = false;

  constructor(private readonly deps: ImageScansDeps) {
    this.advisories = new AdvisoryDb(deps.db);
    this.cache = new SqliteLayerInventoryCache(deps.db, () => new Date(deps.clock()));
  }

  /** The registry scanning configuration of a region (BASIC without rules until one is put). */
  async configuration(region: string, tx?: Transaction): Promise<RegistryScanningConfiguration> {
    const c = (tx ?? this.deps.store).collection<RegistryScanningConfiguration>(Collections.RegistryScanning);
    return (await c.get(region)) ?? DEFAULT_SCANNING_CONFIGURATION;
  }

  /** PutRegistryScanningConfiguration. */
  async putConfiguration(region: string, config: RegistryScanningConfiguration): Promise<RegistryScanningConfiguration> {
    checkScanningConfiguration(config);
    await this.deps.store.collection<RegistryScanningConfiguration>(Collections.RegistryScanning).put(region, config);
    return config;
  }

  /** How a repository is scanned under its region's configuration. */
  async scanningOf(repository: RepositoryRecord, tx?: Transaction): Promise<RepositoryScanning> {
    return repositoryScanning(await this.configuration(repository.region, tx), { name: repository.name, scanOnPush: repository.imageScanningConfiguration.scanOnPush });
  }

  /**
   * The push hook (inside the push's transaction): a new image of a repository scanned on push gets
   * its IN_PROGRESS record in the same commit, so an acknowledged push is scanned even if the
   * platform stops before the worker gets to it.
   */
  readonly onNewManifest = async (tx: Transaction, repository: RepositoryRecord, record: ManifestRecord): Promise<void> => {
    if (!isScannableImage(record)) return;
    const scanning = await this.scanningOf(repository, tx);
    if (!scanning.scanOnPush) return;
    await tx.collection<ImageScanRecord>(Collections.ImageScans).put(scanKey(repository.uid, record.digest), this.pending(repository, record.digest, scanning, undefined));
    this.requested.push(scanKey(repository.uid, record.digest));
  };

  /**
   * After a push committed: scan what it asked for. Queued only now, so that the worker never reads
   * the record before its commit (a request whose push failed finds no IN_PROGRESS record, and is skipped).
   */
  readonly afterNewManifest = (): void => {
    for (const key of this.requested.splice(0)) this.enqueue(key);
    this.kick();
  };

  /**
   * StartImageScan: records the scan (IN_PROGRESS) and leaves it to the worker. An image list or an
   * artifact is not an image (UnsupportedImageTypeException); an image scanned in the last 24
   * hours is not scanned again (LimitExceededException), as ECR's basic scanning.
   */
  async start(scope: Pick<Scope, 'region' | 'accountId'>, repositoryName: string, reference: { digest?: string; tag?: string }): Promise<{ repository: RepositoryRecord; record: ManifestRecord; scan: ImageScanRecord }> {
    const result = await this.deps.store.transaction(async (tx) => {
      const repository = await tx.collection<RepositoryRecord>(Collections.Repositories).get(repositoryKey(scope.region, repositoryName));
      if (!repository) throw repositoryNotFound(repositoryName, scope.accountId);
      const record = await findImage(tx, repository, reference, scope.accountId);
      if (!isScannableImage(record)) throw registryError(ErrorKind.InvalidArgument, 'unsupported-image-type', 'The image type is not supported.');
      const scans = tx.collection<ImageScanRecord>(Collections.ImageScans);
      const previous = await scans.get(scanKey(repository.uid, record.digest));
      if (previous && this.deps.clock() - previous.requestedAt < SCAN_INTERVAL_MS) {
        throw registryError(ErrorKind.LimitExceeded, 'scan-limit', 'The scan quota per image has been exceeded. Wait and try again.');
      }
      const scan = this.pending(repository, record.digest, await this.scanningOf(repository, tx), previous);
      await scans.put(scanKey(repository.uid, record.digest), scan);
      return { repository, record, scan };
    });
    this.enqueue(scanKey(result.repository.uid, result.record.digest));
    this.kick();
    return result;
  }

  /** The scan record of an image, if it was ever scanned. */
  scanOf(repository: RepositoryRecord, digest: string): Promise<ImageScanRecord | undefined> {
    return this.deps.store.collection<ImageScanRecord>(Collections.ImageScans).get(scanKey(repository.uid, digest));
  }

  /** The image an ImageIdentifier names and its scan, or ImageNotFound / ScanNotFound as ECR says them. */
  async findings(
    scope: Pick<Scope, 'region' | 'accountId'>,
    repositoryName: string,
    reference: { digest?: string; tag?: string },
  ): Promise<{ repository: RepositoryRecord; record: ManifestRecord; scan: ImageScanRecord; findings: StoredFinding[]; checks: StoredCheck[] }> {
    const store = this.deps.store;
    const repository = await store.collection<RepositoryRecord>(Collections.Repositories).get(repositoryKey(scope.region, repositoryName));
    if (!repository) throw repositoryNotFound(repositoryName, scope.accountId);
    const record = await findImage(store, repository, reference, scope.accountId);
    const scan = await this.scanOf(repository, record.digest);
    if (!scan) {
      throw registryError(
        ErrorKind.NotFound,
        'scan',
        `Image scan does not exist for the image with '{imageDigest:'${record.digest}', imageTag:'${reference.tag ?? 'null'}'}' in the repository with name '${repository.name}' in the registry with id '${repository.registryId}'`,
      );
    }
    const findings = scan.status === 'IN_PROGRESS' ? undefined : await store.collection<ImageScanFindingsDoc>(Collections.ImageScanFindings).get(scanKey(repository.uid, record.digest));
    return { repository, record, scan, findings: findings?.findings ?? [], checks: findings?.checks ?? [] };
  }

  /** Queues every scan recorded IN_PROGRESS (after a restart, the scans acknowledged before it) and runs the worker. */
  async resume(): Promise<void> {
    if (this.closed) return;
    for await (const { key, value } of this.allScans()) if (value.status === 'IN_PROGRESS') this.enqueue(key);
    this.kick();
  }

  private kick(): void {
    if (this.closed) return;
    this.working ??= this.work().finally(() => (this.working = undefined));
  }

  /** Resolves when no scan is queued or running. */
  async idle(): Promise<void> {
    while (this.working) await this.working;
  }

  /**
   * Continuous scanning: when the advisory database changed since the findings were made (another
   * process imported, before or while this one runs), the images of CONTINUOUS_SCAN repositories
   * are matched again from their stored layer inventories — no layer is read again unless its
   * inventory is missing. Returns how many images were re-evaluated.
   */
  reevaluate(): Promise<number> {
    this.reevaluating ??= this.reevaluateOnce().finally(() => (this.reevaluating = undefined));
    return this.reevaluating;
  }

  /**
   * Starts the background work: scans left IN_PROGRESS, and a check of the advisories' revision
   * every `pollMs`. Returns a function that stops it and waits for work in progress.
   */
  startBackground(pollMs: number): () => Promise<void> {
    const tick = () =>
      this.reevaluate().catch((err: unknown) => this.deps.logger?.warn({ err }, 'continuous scan re-evaluation failed'));
    void this.resume().then(tick, (err: unknown) => this.deps.logger?.warn({ err }, 'image scans could not be resumed'));
    const timer = setInterval(() => void tick(), pollMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      this.closed = true;
      await this.reevaluating?.catch(() => undefined);
      await this.idle();
    };
  }

  /** A scan requested now; the findings of the scan before stay (their firstObservedAt carries over) until it completes. */
  private pending(repository: RepositoryRecord, digest: string, scanning: RepositoryScanning, previous: ImageScanRecord | undefined): ImageScanRecord {
    return {
      region: repository.region,
      repositoryName: repository.name,
      digest,
      status: 'IN_PROGRESS',
      scanType: scanning.scanType,
      requestedAt: this.deps.clock(),
      ...(previous?.findingsDigest !== undefined && { findingsDigest: previous.findingsDigest }),
      findingCount: 0,
      severityCounts: {},
    };
  }

  private enqueue(key: string): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
  }

  /** One scan at a time: scanning reads and parses layers, and this host also runs the tasks. */
  private async work(): Promise<void> {
    for (let key = this.queue.shift(); key !== undefined && !this.closed; key = this.queue.shift()) {
      try {
        await this.scanOne(key);
      } catch (err) {
        this.deps.logger?.warn({ err, scan: key }, 'image scan could not be recorded');
      } finally {
        this.queued.delete(key);
      }
    }
  }

  private async scanOne(key: string): Promise<void> {
    const scans = this.deps.store.collection<ImageScanRecord>(Collections.ImageScans);
    const scan = await scans.get(key);
    if (scan?.status !== 'IN_PROGRESS') return;
    const target = await this.target(key, scan);
    if (!target) return;
    const { repository, layers } = target;
    const scanning = await this.scanningOf(repository);
    const now = this.deps.clock();
    let outcome: ScanOutcome;
    try {
      const revision = this.advisories.revision();
      // Renewed now and then too, so that what it remembers stays bounded.
      if (this.memo?.revision !== revision || ++this.memo.scans > MEMO_SCANS) this.memo = { revision, lookup: new MemoizedAdvisories(this.advisories), scans: 0 };
      const result = await scanImage(layers, this.memo.lookup, this.cache);
      // The image checks are reported by basic scans only (see scan-outcome.ts).
      const checks = scanning.scanType === 'BASIC' ? imageChecks(parseImageConfig(await target.config()), result.inventory.files ?? [], await target.tags()) : [];
      outcome = scanOutcome(result, { scanType: scanning.scanType, continuous: scanning.scanFrequency === 'CONTINUOUS_SCAN', now, revision, checks });
    } catch (err) {
      outcome = failedOutcome(err, scanning.scanType, now);
    }
    await this.record([{ key, requestedAt: scan.requestedAt, outcome }]);
  }

  /** The repository, layers, config and tags of a scan record's image, or undefined when the image is gone. */
  private async target(key: string, scan: ImageScanRecord): Promise<{ repository: RepositoryRecord; layers: ImageLayer[]; config: () => Promise<Buffer>; tags: () => Promise<string[]> } | undefined> {
    const store = this.deps.store;
    const repository = await store.collection<RepositoryRecord>(Collections.Repositories).get(repositoryKey(scan.region, scan.repositoryName));
    if (!repository || scanKey(repository.uid, scan.digest) !== key) return undefined;
    const body = await store.collection<ManifestBody>(Collections.ManifestBodies).get(ownedKey(repository.uid, scan.digest));
    if (!body) return undefined;
    const manifest = parseManifest(Buffer.from(body.text, 'utf8'), undefined);
    const open = async (digest: string, what: string) => {
      const parsed = parseDigest(digest);
      const handle = parsed && (await this.deps.files.open(parsed));
      if (!handle) throw new Error(`the blob of ${what} ${digest} is missing`);
      return handle.createReadStream();
    };
    const layers = manifest.layers.map((l): ImageLayer => ({ digest: l.digest, open: () => open(l.digest, 'layer') }));
    const config = async (): Promise<Buffer> => {
      if (!manifest.config) return Buffer.alloc(0);
      const chunks: Buffer[] = [];
      for await (const chunk of await open(manifest.config.digest, 'config')) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    };
    // Read only by the scans that run the image checks: a re-evaluation pass does without.
    const tags = async (): Promise<string[]> => (await store.collection<ManifestRecord>(Collections.Manifests).get(ownedKey(repository.uid, scan.digest)))?.tags ?? [];
    return { repository, layers, config, tags };
  }

  /**
   * Writes outcomes to their records, unless a newer request replaced the record meanwhile. The
   * findings are written only when they say something new (a re-evaluation usually changes
   * nothing but the advisories' date), keeping the firstObservedAt of those seen before.
   */
  private async record(outcomes: { key: string; requestedAt: number; outcome: ScanOutcome }[]): Promise<void> {
    await this.deps.store.transaction(async (tx) => {
      const scans = tx.collection<ImageScanRecord>(Collections.ImageScans);
      const findingDocs = tx.collection<ImageScanFindingsDoc>(Collections.ImageScanFindings);
      for (const { key, requestedAt, outcome } of outcomes) {
        const current = await scans.get(key);
        if (current?.requestedAt !== requestedAt) continue;
        if (outcome.findingsDigest !== current.findingsDigest) {
          const previous = current.findingsDigest === undefined ? undefined : await findingDocs.get(key);
          const findings = previous ? carryFirstObserved(outcome.findings, previous.findings) : outcome.findings;
          await findingDocs.put(key, { findings, ...(outcome.checks.length > 0 && { checks: outcome.checks }) });
        }
        await scans.put(key, { ...withoutOutcome(current), ...recordFields(outcome) });
      }
    });
  }

  private async reevaluateOnce(): Promise<number> {
    const revision = this.advisories.revision();
    if (revision === this.lastRevision) return 0;
    const pass: AdvisoryLookup = new MemoizedAdvisories(this.advisories);
    const scanningByRepo = new Map<string, { repository: RepositoryRecord; scanning: RepositoryScanning } | undefined>();
    let batch: { key: string; requestedAt: number; outcome: ScanOutcome }[] = [];
    let count = 0;
    for await (const { key, value: scan } of this.allScans()) {
      if (this.closed) return count;
      const settled = scan.status === 'COMPLETE' || scan.status === 'ACTIVE' || scan.failure === 'unsupported';
      if (!settled || scan.advisoriesRevision === revision) continue;
      const repoKey = repositoryKey(scan.region, scan.repositoryName);
      if (!scanningByRepo.has(repoKey)) {
        const repository = await this.deps.store.collection<RepositoryRecord>(Collections.Repositories).get(repoKey);
        scanningByRepo.set(repoKey, repository && { repository, scanning: await this.scanningOf(repository) });
      }
      const repo = scanningByRepo.get(repoKey);
      if (repo?.scanning.scanFrequency !== 'CONTINUOUS_SCAN') continue;
      const target = await this.target(key, scan);
      if (!target) continue;
      const now = this.deps.clock();
      let outcome: ScanOutcome;
      try {
        const result = await scanImage(target.layers, pass, this.cache);
        outcome = scanOutcome(result, { scanType: repo.scanning.scanType, continuous: true, now, revision });
      } catch (err) {
        outcome = failedOutcome(err, repo.scanning.scanType, now);
      }
      batch.push({ key, requestedAt: scan.requestedAt, outcome });
      count++;
      if (batch.length >= 200) {
        await this.record(batch);
        batch = [];
      }
    }
    await this.record(batch);
    this.lastRevision = revision;
    return count;
  }

  private async *allScans(): AsyncGenerator<{ key: string; value: ImageScanRecord }> {
    const scans = this.deps.store.collection<ImageScanRecord>(Collections.ImageScans);
    let after: string | undefined;
    for (;;) {
      const page = await scans.list({ ...(after !== undefined && { after }), limit: 500 });
      yield* page;
      if (page.length < 500) return;
      after = page.at(-1)!.key;
    }
  }
}

/** Whether ECR scans the manifest: an image manifest with an image config (not an index, not an artifact). */
export function isScannableImage(record: ManifestRecord): boolean {
  return IMAGE_MANIFEST_TYPES.has(record.mediaType) && record.configMediaType !== undefined && IMAGE_CONFIG_TYPES.has(record.configMediaType);
}

/** The manifest an ImageIdentifier names, or ECR's ImageNotFoundException. */
async function findImage(tx: Pick<Transaction, 'collection'>, repository: RepositoryRecord, reference: { digest?: string; tag?: string }, accountId: string): Promise<ManifestRecord> {
  let digest = reference.digest;
  if (reference.tag !== undefined) {
    const tagged = await tx.collection<{ digest: string }>(Collections.Tags).get(ownedKey(repository.uid, reference.tag));
    if (tagged && digest !== undefined && tagged.digest !== digest) digest = undefined;
    else digest = tagged?.digest;
  }
  const record = digest === undefined ? undefined : await tx.collection<ManifestRecord>(Collections.Manifests).get(ownedKey(repository.uid, digest));
  if (!record) {
    throw manifestUnknown(
      reference.digest ?? reference.tag ?? '',
      `The image with imageId {imageDigest:'${reference.digest ?? 'null'}', imageTag:'${reference.tag ?? 'null'}'} does not exist within the repository with name '${repository.name}' in the registry with id '${accountId}'`,
    );
  }
  return record;
}
