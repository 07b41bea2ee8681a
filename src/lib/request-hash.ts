import { createHash } from 'node:crypto';

/**
 * A deterministic hash of a request (object keys sorted at every depth), to tell a retried call
 * with a client token or an idempotent create from a different one.
 */
export function requestHash(input: object): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canonical(x)]))
        : v;
  return createHash('sha256').update(JSON.stringify(canonical(input))).digest('hex');
}
