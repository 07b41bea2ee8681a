import { AsyncLocalStorage } from 'node:async_hooks';

/** A leader lease as a write may be fenced with: whose lease, and the token it was taken with. */
export interface Fence {
  name: string;
  holder: string;
  token: number;
}

/** Why a fenced write was refused: the lease it ran under is no longer held. */
export class FencedOutError extends Error {
  constructor(detail: string) {
    super(`not the leader: ${detail}`);
    this.name = 'FencedOutError';
  }
}

/** The fence of the work under way: a function, so that it is read when each write starts. */
const current = new AsyncLocalStorage<() => Fence | undefined>();

/**
 * Runs `fn` as leader's work: every write a store that shares its database makes from it — at
 * once or later, in timers and promises it starts — first checks, inside its own transaction, that
 * the lease `fence()` names is still held with that token. A paused ex-leader's writes are so
 * refused once another process has taken over. `fence()` answering undefined (the lease is lost)
 * refuses the write without asking the database.
 */
export function runFenced<R>(fence: () => Fence | undefined, fn: () => R): R {
  return current.run(fence, fn);
}

/**
 * The fence the calling code runs under: undefined outside leader's work; throws when the work is
 * fenced and the lease is lost.
 */
export function currentFence(): Fence | undefined {
  const fence = current.getStore();
  if (fence === undefined) return undefined;
  const held = fence();
  if (held === undefined) throw new FencedOutError('the leader lease was lost');
  return held;
}
