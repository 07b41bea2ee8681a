/** A FIFO async mutex: `run` calls its functions one at a time, in call order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` once every earlier call has settled; resolves or rejects as `fn` does. */
  run<R>(fn: () => Promise<R>): Promise<R> {
    const result = this.tail.then(fn, fn);
    // The chain must continue whether `fn` fails or not.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
