/**
 * The registry's metadata as kept in the project Store. Everything a repository owns is keyed by
 * the repository's `uid` (random, fixed at creation), never by its name: a repository deleted and
 * created again under the same name starts empty, and a listing by `<uid>/` prefix can never pick
 * up another repository whose name merely starts the same way (`a` and `a/b`).
 *
 * | collection | key | value |
 * |---|---|---|
 * | `ecr-repositories` | `<region>/<name>` | {@link RepositoryRecord} |
 * | `ecr-manifests` | `<uid>/<digest>` | {@link ManifestRecord} |
 * | `ecr-manifest-bodies` | `<uid>/<digest>` | {@link ManifestBody} (the exact bytes, as text) |
 * | `ecr-image-tags` | `<uid>/<tag>` | {@link TagRecord} |
 * | `ecr-referrers` | `<uid>/<subject digest>/<digest>` | {@link ReferrerRecord} |
 * | `ecr-manifest-parents` | `<uid>/<child digest>/<index digest>` | `{}`: which indexes list a manifest |
 * | `registry-blobs` | `<digest>` | {@link BlobRecord}: one per blob file, all repositories |
 * | `registry-blob-links` | `<digest>/<uid>` | {@link BlobLink}: the blob is in that repository |
 * | `registry-uploads` | `<upload id>` | upload sessions (storage/uploads.ts) |
 * | `ecr-resource-tags` | `<repository ARN>` | AWS resource tags |
 * | `ecr-pull-through-checks` | `<uid>/<tag>` | when a pull through cache tag was last checked upstream |
 * | `ecr-image-scans` | `<uid>/<digest>` | an image's scan: status and findings (scanning/scan-records.ts) |
 * | `ecr-image-scan-findings` | `<uid>/<digest>` | the findings of its last scan |
 * | `ecr-registry-scanning` | `<region>` | the registry scanning configuration |
 */
export const Collections = {
  Repositories: 'ecr-repositories',
  Manifests: 'ecr-manifests',
  ManifestBodies: 'ecr-manifest-bodies',
  Tags: 'ecr-image-tags',
  Referrers: 'ecr-referrers',
  ManifestParents: 'ecr-manifest-parents',
  Blobs: 'registry-blobs',
  BlobLinks: 'registry-blob-links',
  Uploads: 'registry-uploads',
  ResourceTags: 'ecr-resource-tags',
  LifecyclePreviews: 'ecr-lifecycle-previews',
  PullThroughRules: 'ecr-pull-through-rules',
  PullThroughChecks: 'ecr-pull-through-checks',
  ImageScans: 'ecr-image-scans',
  ImageScanFindings: 'ecr-image-scan-findings',
  RegistryScanning: 'ecr-registry-scanning',
} as const;

/** ECR's tag mutability settings. */
export const TagMutability = {
  Mutable: 'MUTABLE',
  Immutable: 'IMMUTABLE',
  ImmutableWithExclusion: 'IMMUTABLE_WITH_EXCLUSION',
  MutableWithExclusion: 'MUTABLE_WITH_EXCLUSION',
} as const;
/** One of {@link TagMutability}. */
export type TagMutability = (typeof TagMutability)[keyof typeof TagMutability];

/** A tag filter that exempts matching tags from the repository's mutability setting. */
export interface ExclusionFilter {
  filterType: 'WILDCARD';
  filter: string;
}

/** A repository. */
export interface RepositoryRecord {
  /** Random id: the key prefix of everything the repository owns. */
  uid: string;
  region: string;
  name: string;
  arn: string;
  registryId: string;
  /** Epoch milliseconds. */
  createdAt: number;
  imageTagMutability: TagMutability;
  imageTagMutabilityExclusionFilters: ExclusionFilter[];
  imageScanningConfiguration: { scanOnPush: boolean };
  encryptionConfiguration: { encryptionType: string; kmsKey?: string };
  /** The repository policy (JSON text), when set. */
  policyText?: string;
  /** The lifecycle policy (JSON text), when set. */
  lifecyclePolicyText?: string;
  /** When the lifecycle policy was last applied (epoch ms). */
  lifecycleEvaluatedAt?: number;
}

/** A manifest stored in a repository (its bytes are in `ecr-manifest-bodies`). */
export interface ManifestRecord {
  digest: string;
  mediaType: string;
  /** Length of the manifest bytes. */
  size: number;
  /** Epoch ms of the first push. */
  pushedAt: number;
  /** Epoch ms of the last recorded pull. */
  pulledAt?: number;
  /** The tags pointing at it, sorted (kept in step with `ecr-image-tags`). */
  tags: string[];
  /** Config and layer digests (image manifests). */
  blobs: string[];
  /** Listed manifest digests (indexes). */
  children: string[];
  /** The config's media type (image manifests). */
  configMediaType?: string;
  /** The manifest's `artifactType`. */
  artifactType?: string;
  /** The subject's digest (referrers). */
  subject?: string;
  annotations?: Record<string, string>;
  /** ECR's imageSizeInBytes: layer sizes summed, or for an index the largest listed image. */
  imageSize: number;
}

/** The exact bytes of a manifest, as UTF-8 text (manifests are JSON, checked to round-trip). */
export interface ManifestBody {
  text: string;
}

/** Where a tag points. */
export interface TagRecord {
  digest: string;
  /** Epoch ms of the last move. */
  updatedAt: number;
}

/** A referrer of a subject manifest: the descriptor the referrers API lists. */
export interface ReferrerRecord {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/**
 * One blob file. `referencedAt` is the last time anything linked the blob into a repository or
 * pushed a manifest that uses it: the garbage collector's protection for blobs in use (gc.ts).
 */
export interface BlobRecord {
  size: number;
  /** Epoch ms. */
  referencedAt: number;
}

/** A blob's presence in one repository. */
export interface BlobLink {
  /** Epoch ms. */
  linkedAt: number;
}

/** The key of a repository. */
export const repositoryKey = (region: string, name: string): string => `${region}/${name}`;
/** The key of something a repository owns (manifest, tag). */
export const ownedKey = (uid: string, id: string): string => `${uid}/${id}`;
/** The key of a blob's link into a repository. */
export const linkKey = (digest: string, uid: string): string => `${digest}/${uid}`;
