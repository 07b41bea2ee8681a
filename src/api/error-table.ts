import type { DomainError } from '../lib/errors.js';

/**
 * An API's error table: domain error → the exception name the API answers with. Keys are
 * `<kind>`, `<kind>/<subject>` or `<operation>:<kind>/<subject>`; the most specific entry wins.
 */
export type ErrorTable = Readonly<Record<string, string>>;

/** Finds the exception name for a domain error raised by an operation. */
export type ErrorNameLookup = (err: DomainError, operation?: string) => string;

/**
 * The lookup of `table`: `<operation>:<kind>/<subject>`, then `<kind>/<subject>`, then `<kind>`,
 * then `fallback` (the API's catch-all for a caller's fault).
 */
export function errorNameLookup(table: ErrorTable, fallback: string): ErrorNameLookup {
  return (err, operation) => {
    const specific = err.subject ? `${err.kind}/${err.subject}` : undefined;
    const entry = specific === undefined ? undefined : (operation && table[`${operation}:${specific}`]) || table[specific];
    return entry ?? table[err.kind] ?? fallback;
  };
}
