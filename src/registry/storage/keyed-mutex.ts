import { Mutex } from '../../store/mutex.js';

/**
 * One FIFO mutex per key, created on demand and dropped when idle, so that work on one blob or one
 * upload is serialised without serialising unrelated work.
 */
export class KeyedMutex {
  private readonly entries = new Map<string, { mutex: Mutex; users: number }>();

  /** Runs `fn` once every earlier call for `key` has settled. */
  async run<R>(key: string, fn: () => Promise<R>): Promise<R> {
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { mutex: new Mutex(), users: 0 }));
    entry.users++;
    try {
      return await entry.mutex.run(fn);
    } finally {
      if (--entry.users === 0) this.entries.delete(key);
    }
  }

  /** Tells whether some call for `key` is running or waiting. */
  busy(key: string): boolean {
    return this.entries.has(key);
  }
}
