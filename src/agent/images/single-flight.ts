/**
 * One run per key at a time, shared by everyone who asks for that key meanwhile (two tasks
 * pulling images with a common base layer unpack it once). A caller that gives up (its signal
 * aborts) stops waiting at once, unless it is the last one: then the shared run is aborted, and
 * the caller's promise rejects once the run has stopped.
 */

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

/** Deduplicates concurrent runs of the same keyed task. */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();

  /** Number of runs under way (for tests and metrics). */
  get size(): number {
    return this.flights.size;
  }

  /** Runs `task` for `key`, or joins the run already under way. */
  run(key: string, task: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    let flight = this.flights.get(key);
    if (!flight) {
      const controller = new AbortController();
      const created: Flight<T> = { promise: Promise.resolve(undefined as T), controller, waiters: 0 };
      created.promise = (async () => {
        try {
          return await task(controller.signal);
        } finally {
          if (this.flights.get(key) === created) this.flights.delete(key);
        }
      })();
      // Every waiter may have left; the outcome must not become an unhandled rejection.
      created.promise.catch(() => undefined);
      this.flights.set(key, created);
      flight = created;
    }
    const joined = flight;
    joined.waiters++;
    if (!signal) return joined.promise;
    return new Promise<T>((resolve, reject) => {
      let left = false;
      const leave = () => {
        left = true;
        joined.waiters--;
        if (joined.waiters > 0) {
          reject(signal.reason);
          return;
        }
        // The last caller aborts the run, and hears back once it has stopped: so nothing it
        // started is still writing when the caller goes on (or cleans up).
        joined.controller.abort(signal.reason);
        joined.promise.then(
          () => reject(signal.reason),
          () => reject(signal.reason),
        );
      };
      signal.addEventListener('abort', leave, { once: true });
      joined.promise.then(
        (value) => {
          signal.removeEventListener('abort', leave);
          if (!left) resolve(value);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', leave);
          if (!left) reject(err);
        },
      );
    });
  }
}
