import { invalidParameter } from '../../lib/errors.js';
import type { SecretRotation } from './rotation/rotation-state.js';

/** The staging labels Secrets Manager manages itself. */
export const Stage = {
  Current: 'AWSCURRENT',
  Previous: 'AWSPREVIOUS',
  Pending: 'AWSPENDING',
} as const;

/** A tag on a secret, as Secrets Manager spells its members. */
export interface SecretTag {
  Key: string;
  Value: string;
}

/** One version of a secret (its value is stored apart, sealed). */
export interface SecretVersionRecord {
  versionId: string;
  /** Staging labels; a version without any is deprecated. */
  stages: string[];
  /** Epoch milliseconds. */
  createdDate: number;
  /** The KMS key id the secret named when this version was created (undefined: the default key). */
  kmsKeyId?: string;
  /** Epoch milliseconds of the last day (UTC midnight) the value was read. */
  lastAccessedDate?: number;
  /**
   * A version RotateSecret made for the rotation function to fill (AWSPENDING, no value yet): AWS's
   * "empty secret version". PutSecretValue with its id as ClientRequestToken gives it its value.
   */
  empty?: true;
}

/** A secret's metadata: never its values. Stored under `<region>/<name>`. */
export interface SecretRecord {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: SecretTag[];
  /** Oldest first. */
  versions: SecretVersionRecord[];
  createdDate: number;
  lastChangedDate: number;
  lastAccessedDate?: number;
  /** When DeleteSecret scheduled the deletion (DescribeSecret's DeletedDate). */
  deletedDate?: number;
  /** When the secret stops existing (DeleteSecret's DeletionDate). */
  deletionDate?: number;
  /** The resource-based policy (PutResourcePolicy), as the caller wrote it. */
  resourcePolicy?: string;
  /** Rotation (RotateSecret): absent until rotation is first configured. */
  rotation?: SecretRotation;
}

/** A secret value: SecretString or SecretBinary. */
export type SecretValue = { kind: 'string'; text: string } | { kind: 'binary'; bytes: Buffer };

/** A sealed value as stored under `<region>/<name>/<versionId>`. */
export interface StoredSecretValue {
  kind: 'string' | 'binary';
  /** Base64 of the envelope (see crypto/envelope.ts). */
  sealed: string;
}

/**
 * Versions kept per secret. AWS removes unlabeled versions once a secret has more than 100 (sparing
 * those younger than 24 hours, at the price of a version quota error); this store keeps at most 100
 * and drops the oldest unlabeled ones first, whatever their age. Labeled versions are never dropped.
 */
export const MAX_VERSIONS = 100;

/** Tags per secret (Secrets Manager quota). */
export const MAX_TAGS = 50;

/** Days of the recovery window: default, minimum and maximum. */
export const RecoveryWindow = { default: 30, min: 7, max: 30 } as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Midnight UTC of the day of `ms`: Secrets Manager records access dates to the day. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** `days` in milliseconds. */
export const days = (n: number): number => n * DAY_MS;

/** True once a scheduled deletion is due: the secret no longer exists. */
export const isGone = (secret: SecretRecord, now: Date): boolean =>
  secret.deletionDate !== undefined && secret.deletionDate <= now.getTime();

/**
 * The value of a request's SecretString and SecretBinary members (undefined when neither is given);
 * AWS refuses both at once.
 */
export function secretValueOf(text: string | undefined, bytes: Buffer | undefined): SecretValue | undefined {
  if (text !== undefined && bytes !== undefined) {
    throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (text !== undefined) return { kind: 'string', text };
  if (bytes !== undefined) return { kind: 'binary', bytes };
  return undefined;
}

/** Whether two values are the same secret data (the idempotency rule of ClientRequestToken). */
export function sameValue(a: SecretValue, b: SecretValue): boolean {
  if (a.kind === 'string' && b.kind === 'string') return a.text === b.text;
  if (a.kind === 'binary' && b.kind === 'binary') return a.bytes.equals(b.bytes);
  return false;
}
