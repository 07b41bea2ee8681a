/**
 * Transactions per second of a Store in this process: a read-modify-write of one small document
 * (get, then put the incremented counter) from `callers` concurrent callers for a fixed time.
 * Every caller increments the same document, so the final count must equal the transactions that
 * resolved: a lost update would show as a shortfall.
 */
import { performance } from 'node:perf_hooks';
import type { Store } from '../../src/store/store.js';
import { round } from './stats.js';

const COLLECTION = 'bench-counters';

interface Counter {
  n: number;
  by: string;
  note: string;
}

/** One timed run. */
export interface TransactionRun {
  callers: number;
  seconds: number;
  transactions: number;
  perSecond: number;
  /** The counter's final value minus its value before the run: equals `transactions` when none was lost. */
  counted: number;
}

/** One read-modify-write of the counter under `key`. */
function increment(store: Store, key: string, caller: number): Promise<void> {
  return store.transaction(async (tx) => {
    const counters = tx.collection<Counter>(COLLECTION);
    const current = await counters.get(key);
    await counters.put(key, { n: (current?.n ?? 0) + 1, by: `caller-${caller}`, note: 'a small document of about a hundred bytes once serialised' });
  });
}

/** `callers` callers each running transactions back to back until `seconds` have passed. */
export async function measureTransactions(store: Store, key: string, callers: number, seconds: number): Promise<TransactionRun> {
  const before = (await store.collection<Counter>(COLLECTION).get(key))?.n ?? 0;
  let transactions = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const caller = async (i: number) => {
    while (performance.now() < end) {
      await increment(store, key, i);
      transactions++;
    }
  };
  await Promise.all(Array.from({ length: callers }, (_, i) => caller(i)));
  const elapsed = (performance.now() - t0) / 1000;
  const after = (await store.collection<Counter>(COLLECTION).get(key))?.n ?? 0;
  return { callers, seconds: round(elapsed, 2), transactions, perSecond: round(transactions / elapsed), counted: after - before };
}
