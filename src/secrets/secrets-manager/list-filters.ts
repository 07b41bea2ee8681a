import { invalidParameter } from '../../lib/errors.js';
import type { SecretRecord } from './secret.js';

/**
 * ListSecrets and BatchGetSecretValue filters. The documented rules: several values of one filter
 * are ORed, several filters are ANDed (also two filters with the same key), and a value starting
 * with `!` negates. `name`, `tag-key`, `tag-value`, `primary-region` and `owning-service` are
 * case-sensitive prefix matches. `description` and `all` work on words, not case-sensitive: both the
 * value and each attribute are split into words and every word of the value must begin a word of the
 * attribute. How AWS splits words is not documented; {@link splitWords} follows what has been
 * measured against the service (moto's AWS-verified ListSecrets tests record the cases).
 */

/** One filter as the request carries it (the model leaves both members optional). */
export interface SecretFilter {
  Key?: string;
  Values?: string[];
}

/** Refuses filters the service refuses with InvalidParameterException. */
export function checkFilters(filters: readonly SecretFilter[]): void {
  for (const filter of filters) {
    if (filter.Key === undefined) throw invalidParameter('Invalid filter key');
    if (filter.Values === undefined) throw invalidParameter(`Invalid filter values for key: ${filter.Key}`);
  }
}

/** Whether a secret passes every filter. */
export function matchesFilters(secret: SecretRecord, filters: readonly SecretFilter[]): boolean {
  return filters.every((f) => (f.Values ?? []).some((value) => matchesValue(secret, f.Key ?? '', value)));
}

function matchesValue(secret: SecretRecord, key: string, raw: string): boolean {
  const negated = raw.startsWith('!');
  const value = negated ? raw.slice(1) : raw;
  const found = attributes(secret, key).some((attribute) => (wordBased(key) ? wordsMatch(value, attribute) : attribute.startsWith(value)));
  return negated ? !found : found;
}

const wordBased = (key: string) => key === 'description' || key === 'all';

function attributes(secret: SecretRecord, key: string): string[] {
  switch (key) {
    case 'name':
      return [secret.name];
    case 'description':
      return secret.description ? [secret.description] : [];
    case 'tag-key':
      return secret.tags.map((t) => t.Key);
    case 'tag-value':
      return secret.tags.map((t) => t.Value);
    case 'all':
      return [
        secret.name,
        ...(secret.description ? [secret.description] : []),
        ...secret.tags.map((t) => t.Key),
        ...secret.tags.map((t) => t.Value),
      ];
    // No secret here is replicated or managed by another service.
    default:
      return [];
  }
}

function wordsMatch(value: string, attribute: string): boolean {
  const wanted = splitWords(value).map((w) => w.toLowerCase());
  if (wanted.length === 0) return false;
  const words = splitWords(attribute).map((w) => w.toLowerCase());
  return wanted.every((w) => words.some((word) => word.startsWith(w)));
}

const SEPARATORS = ['/', '-', '_', '+', '=', '.', '@'];

/**
 * Words of a value as the service finds them: a value using one kind of separator is split at it;
 * one mixing two kinds is a single word; a separator alone has no words. Each part is then split
 * where a non-lower-case character starts a lower-case run (`MyTest` → My, Test; `COMPANYthings` →
 * COMPAN, Ythings) and at spaces.
 */
export function splitWords(value: string): string[] {
  if (SEPARATORS.includes(value)) return [];
  const used = SEPARATORS.filter((s) => value.includes(s));
  if (used.length > 1) return [value];
  const parts = used.length === 1 ? value.split(used[0]!) : [value];
  return parts.flatMap(splitCase);
}

function splitCase(part: string): string[] {
  return part
    .split(/([^a-z][a-z]+)/)
    .map((w) => w.trim())
    .filter((w) => w !== '');
}
