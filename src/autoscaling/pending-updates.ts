/**
 * The targets with an update under way. Creating or deleting a policy talks to CloudWatch between
 * its reads and its commit; a second update of the same target meanwhile is refused with
 * ConcurrentUpdateException, as AWS refuses an update to a resource that already has one pending,
 * so that two racing puts cannot leave alarms that no policy owns.
 */
import { DomainError, ErrorKind } from '../lib/errors.js';

/** One process's updates in flight, by target key. */
export class PendingUpdates {
  private readonly busy = new Set<string>();

  /** Runs `fn` as the only update of `targetKey`; refuses when another is under way. */
  async run<R>(targetKey: string, resourceId: string, fn: () => Promise<R>): Promise<R> {
    if (this.busy.has(targetKey)) {
      throw new DomainError(ErrorKind.Conflict, `Concurrent update on scalable target ${resourceId}: another update is in progress. Retry the request.`);
    }
    this.busy.add(targetKey);
    try {
      return await fn();
    } finally {
      this.busy.delete(targetKey);
    }
  }
}
