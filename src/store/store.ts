/**
 * The persistence port. Domain code sees ordered collections of JSON documents and
 * serialisable transactions; the embedded SQLite store is the default implementation, and a
 * server database can implement the same interface later.
 *
 * Invariants every implementation keeps (checked by `store-suite.ts`):
 * - `list` returns documents ordered by key (binary order of the UTF-16 key), after `after`
 *   (exclusive), starting with `prefix`, at most `limit`.
 * - Values are stored as JSON: what comes back is a deep copy, never the caller's object.
 * - A transaction sees its own writes; other callers see all of them or none, after it resolves.
 *   Transactions are serialised, so a read-modify-write inside one cannot be lost.
 * - A failed transaction (its function throws or rejects) leaves no trace.
 */
export interface Store {
  /** A named collection of documents of one type. */
  collection<T>(name: string): Collection<T>;
  /**
   * Every document under `prefix` in each named collection, as `list({ prefix })` of each would
   * return them (the result's i-th entry is the i-th collection's), in one read: one round trip
   * on a server database, where several lists would cost one each.
   */
  listAcross<T>(names: readonly string[], prefix: string): Promise<Array<Array<{ key: string; value: T }>>>;
  /** Runs `fn` atomically and in isolation from other transactions. */
  transaction<R>(fn: (tx: Transaction) => Promise<R>): Promise<R>;
  /** Releases the store; no call may follow. */
  close(): Promise<void>;
}

/** The view of the store inside one transaction. */
export interface Transaction {
  /** A collection whose reads see this transaction's writes. */
  collection<T>(name: string): Collection<T>;
}

/** Which keys of a collection to list. */
export interface ListOptions {
  /** Only keys that start with this. */
  prefix?: string;
  /** Only keys strictly greater than this (for pagination). */
  after?: string;
  /** At most this many documents. */
  limit?: number;
}

/** An ordered key → document map. */
export interface Collection<T> {
  /** The document under `key`, if any. */
  get(key: string): Promise<T | undefined>;
  /** Documents in key order, as selected by `options`. */
  list(options?: ListOptions): Promise<Array<{ key: string; value: T }>>;
  /** Stores `value` under `key`, replacing any document there. */
  put(key: string, value: T): Promise<void>;
  /** Stores `value` under `key` only if the key is free; tells whether it did. */
  insert(key: string, value: T): Promise<boolean>;
  /** Removes the document under `key`; tells whether there was one. */
  delete(key: string): Promise<boolean>;
}
