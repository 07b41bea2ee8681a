import type { MetricStore, PutBatch } from './metric-store.js';

interface Pending {
  readonly batch: PutBatch;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Group commit of PutMetricData: the requests that reach the store in the same turn of the event
 * loop are written in one transaction, once that turn is over, and each is answered only after
 * that transaction has committed, so an acknowledged request survives a crash as before. A commit
 * costs about as much for one request as for four (most of it is writing the index pages the
 * requests' metrics share), so concurrent publishers cost a fraction of it per datum. A group
 * whose transaction fails is retried request by request, so that one request's failure is its own.
 */
export class GroupCommit {
  private pending: Pending[] = [];

  constructor(private readonly store: MetricStore) {}

  /** Stores `batch` with the others of this turn; resolves once committed. */
  put(batch: PutBatch): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.pending.push({ batch, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  /** Writes what is pending now (also before the store closes). */
  flush(): void {
    const group = this.pending;
    if (group.length === 0) return;
    this.pending = [];
    try {
      this.store.putMany(group.map((p) => p.batch));
    } catch (err) {
      if (group.length === 1) {
        group[0]!.reject(err);
        return;
      }
      for (const p of group) {
        try {
          this.store.putMany([p.batch]);
        } catch (own) {
          p.reject(own);
          continue;
        }
        p.resolve();
      }
      return;
    }
    for (const p of group) p.resolve();
  }
}
