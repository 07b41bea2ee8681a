import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import type { ContainerExit } from './runtime.js';

interface Waiter {
  resolve: (exit: ContainerExit) => void;
  reject: (err: Error) => void;
}

/**
 * Resolves `wait`s when conmon writes a container's exit file. One inotify watch on the exit dir
 * (conmon writes each file by rename, so the final name appears once, complete) wakes the check
 * for that id; a slow poll of every pending id covers what inotify cannot see (a monitor that
 * died without writing). The watch and the poll run only while someone waits, and do not keep
 * the process alive: an agent shutting down with containers running (they outlive it by design)
 * must not hang on its own waits. `close` rejects them.
 */
export class ExitWatcher {
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    /** The exit of a container once final, else undefined; may throw for a broken container. */
    private readonly check: (id: string) => Promise<ContainerExit | undefined>,
    // inotify reports normal exits at once; the poll only catches what it misses (10 s is cheap
    // with hundreds of containers, each poll reading a few files per container).
    private readonly pollMs = 10_000,
  ) {}

  /** Resolves with the container's exit once it is final. */
  wait(id: string): Promise<ContainerExit> {
    const p = new Promise<ContainerExit>((resolve, reject) => {
      const list = this.waiters.get(id) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(id, list);
    });
    this.ensureWatching();
    // The file may have been written before the watch existed.
    this.poke(id);
    return p;
  }

  /** Rejects the waiters of one container (it was removed). */
  cancel(id: string, err: Error): void {
    const list = this.waiters.get(id);
    this.waiters.delete(id);
    for (const w of list ?? []) w.reject(err);
    this.stopIfIdle();
  }

  /** Rejects every waiter and stops watching. */
  close(err: Error): void {
    for (const id of [...this.waiters.keys()]) this.cancel(id, err);
    this.stopIfIdle();
  }

  private ensureWatching(): void {
    if (!this.watcher) {
      mkdirSync(this.dir, { recursive: true });
      this.watcher = watch(this.dir, (_event, name) => {
        if (name && this.waiters.has(name)) this.poke(name);
      });
      this.watcher.on('error', () => this.restartWatch());
      this.watcher.unref();
    }
    if (!this.timer) {
      this.timer = setInterval(() => {
        for (const id of this.waiters.keys()) this.poke(id);
      }, this.pollMs);
      this.timer.unref();
    }
  }

  private restartWatch(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.waiters.size > 0) this.ensureWatching();
  }

  private stopIfIdle(): void {
    if (this.waiters.size > 0) return;
    this.watcher?.close();
    this.watcher = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Checks one id, one check at a time per id; a poke during a check runs it once more after. */
  private poke(id: string): void {
    if (this.inflight.has(id)) {
      this.again.add(id);
      return;
    }
    const run = (async () => {
      try {
        const exit = await this.check(id);
        if (exit) this.settle(id, (w) => w.resolve(exit));
      } catch (e) {
        this.settle(id, (w) => w.reject(e as Error));
      } finally {
        this.inflight.delete(id);
        if (this.again.delete(id) && this.waiters.has(id)) this.poke(id);
      }
    })();
    this.inflight.set(id, run);
  }

  private settle(id: string, fn: (w: Waiter) => void): void {
    const list = this.waiters.get(id) ?? [];
    this.waiters.delete(id);
    list.forEach(fn);
    this.stopIfIdle();
  }
}
