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
  /** The groups whose transactions have not finished. */
  private readonly writing = new Set<Promise<void>>();

  constructor(private readonly store: MetricStore) {}

  /** Stores `batch` with the others of this turn; resolves once committed. */
  put(batch: PutBatch): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.pending.push({ batch, resolve, reject }) === 1) setImmediate(() => void this.flush());
    });
  }

  /**
   * Writes what is pending now (also before the store closes); resolves once every request of the
   * group is answered. A store that commits asynchronously may see the next group's flush start
   * before this one's commit: each group is its own transaction.
   */
  flush(): Promise<void> {
    const group = this.pending;
    if (group.length === 0) return Promise.resolve();
    this.pending = [];
    const written = this.write(group);
    this.writing.add(written);
    return written.finally(() => this.writing.delete(written));
  }

  /** Writes what is pending and waits for every group being written (before the store closes). */
  async drain(): Promise<void> {
    await this.flush();
    await Promise.all(this.writing);
  }

  /** One group's transaction; never rejects (each request's own promise does). */
  private async write(group: readonly Pending[]): Promise<void> {
    try {
      await this.store.putMany(group.map((p) => p.batch));
    } catch (err) {
      if (group.length === 1) {
        group[0]!.reject(err);
        return;
      }
      for (const p of group) {
        try {
          await this.store.putMany([p.batch]);
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
