import type { Store } from '../../store/store.js';
import { Collections, ownedKey } from '../metadata/records.js';

/** When a cached tag was last compared with its upstream, and the last failure to do so. */
export interface TagCheck {
  /** Epoch ms of the last successful check (or of the first fetch). */
  checkedAt?: number;
  /** Epoch ms and message of the last failed check, when it came after the last success. */
  failedAt?: number;
  failure?: string;
}

/** After a failed check, the next attempt waits this long (or the interval, when shorter). */
export const FAILED_CHECK_RETRY_MS = 5 * 60 * 1000;

/**
 * Whether a cached tag is due for a check against its upstream: never checked, or last checked
 * `intervalMs` ago or more; a check that just failed is not retried at once (an upstream that is
 * down would otherwise cost every pull its timeout).
 */
export function refreshDue(check: TagCheck | undefined, now: number, intervalMs: number): boolean {
  if (check?.failedAt !== undefined && now - check.failedAt < Math.min(intervalMs, FAILED_CHECK_RETRY_MS)) return false;
  return check?.checkedAt === undefined || now - check.checkedAt >= intervalMs;
}

/** The check records of pull through cache tags (`ecr-pull-through-checks`, keyed `<uid>/<tag>`). */
export class TagChecks {
  constructor(private readonly store: Store) {}

  /** The tag's record, if it was ever checked. */
  get(repositoryUid: string, tag: string): Promise<TagCheck | undefined> {
    return this.checks().get(ownedKey(repositoryUid, tag));
  }

  /** Notes a successful check (or fetch) at `now`; forgets earlier failures. */
  async checked(repositoryUid: string, tag: string, now: number): Promise<void> {
    await this.checks().put(ownedKey(repositoryUid, tag), { checkedAt: now });
  }

  /** Notes a failed check at `now`, keeping the time of the last success. */
  async failed(repositoryUid: string, tag: string, now: number, failure: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const checks = tx.collection<TagCheck>(Collections.PullThroughChecks);
      const current = await checks.get(ownedKey(repositoryUid, tag));
      await checks.put(ownedKey(repositoryUid, tag), { ...(current?.checkedAt !== undefined && { checkedAt: current.checkedAt }), failedAt: now, failure });
    });
  }

  private checks() {
    return this.store.collection<TagCheck>(Collections.PullThroughChecks);
  }
}
