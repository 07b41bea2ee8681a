import { Mutex } from './mutex.js';
import type { Collection, ListOptions, Store, Transaction } from './store.js';

type Tables = Map<string, Map<string, string>>;

function table(tables: Tables, name: string): Map<string, string> {
  let t = tables.get(name);
  if (!t) tables.set(name, (t = new Map()));
  return t;
}

function memoryCollection<T>(
  tables: () => Tables,
  name: string,
  beforeWrite: <R>(write: () => R) => Promise<R>,
): Collection<T> {
  return {
    async get(key) {
      const json = table(tables(), name).get(key);
      return json === undefined ? undefined : (JSON.parse(json) as T);
    },
    async list(options?: ListOptions) {
      const prefix = options?.prefix ?? '';
      const after = options?.after;
      const keys = [...table(tables(), name).keys()]
        .filter((k) => k.startsWith(prefix) && (after === undefined || k > after))
        .sort();
      const limited = options?.limit !== undefined && options.limit >= 0 ? keys.slice(0, options.limit) : keys;
      const t = table(tables(), name);
      return limited.map((key) => ({ key, value: JSON.parse(t.get(key)!) as T }));
    },
    put: (key, value) => beforeWrite(() => void table(tables(), name).set(key, JSON.stringify(value))),
    insert: (key, value) =>
      beforeWrite(() => {
        const t = table(tables(), name);
        if (t.has(key)) return false;
        t.set(key, JSON.stringify(value));
        return true;
      }),
    delete: (key) => beforeWrite(() => table(tables(), name).delete(key)),
  };
}

function copy(tables: Tables): Tables {
  return new Map([...tables].map(([name, t]) => [name, new Map(t)]));
}

/** An in-memory Store for unit tests of the layers above; it keeps the same invariants. */
export class MemoryStore implements Store {
  private tables: Tables = new Map();
  private readonly mutex = new Mutex();

  collection<T>(name: string): Collection<T> {
    return memoryCollection<T>(() => this.tables, name, (write) => this.mutex.run(async () => write()));
  }

  listAcross<T>(names: readonly string[], prefix: string): Promise<Array<Array<{ key: string; value: T }>>> {
    return Promise.all(names.map((name) => this.collection<T>(name).list({ prefix })));
  }

  transaction<R>(fn: (tx: Transaction) => Promise<R>): Promise<R> {
    return this.mutex.run(async () => {
      // Work on a copy and swap it in on success: a failure leaves no trace.
      const draft = copy(this.tables);
      const tx: Transaction = { collection: <T>(name: string) => memoryCollection<T>(() => draft, name, async (w) => w()) };
      const result = await fn(tx);
      this.tables = draft;
      return result;
    });
  }

  async close(): Promise<void> {}
}
