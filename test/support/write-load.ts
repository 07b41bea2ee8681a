/**
 * A bounded write load for restart tests: `writers` loops, each sending the writes `write`
 * makes for it one after another, until `maxWrites` writes were started in all or `maxMs`
 * passed, whichever comes first. Every write is recorded with what its caller saw: acknowledged
 * (and how many attempts the SDK needed) or failed after the SDK's retries.
 */
export interface WriteOutcome {
  /** What was written, for reading it back (a parameter name, a cluster name…). */
  readonly key: string;
  readonly kind: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** The SDK's attempts for an acknowledged write. */
  readonly attempts?: number;
  /** For a write that failed after retries: the error's name and HTTP status. */
  readonly error?: { name: string; status?: number; message: string };
}

export interface LoadOptions {
  readonly writers: number;
  readonly maxWrites: number;
  readonly maxMs: number;
  /** The n-th write (counted over all writers) of writer `w`: its key and kind, and the call itself. */
  write(w: number, n: number): { key: string; kind: string; send(): Promise<{ $metadata: { attempts?: number } }> };
}

interface SdkFailure {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Runs the load; resolves with every write's outcome once all writers stopped. */
export async function runWriteLoad(options: LoadOptions): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = [];
  const deadline = performance.now() + options.maxMs;
  let started = 0;
  const writer = async (w: number) => {
    while (started < options.maxWrites && performance.now() < deadline) {
      const { key, kind, send } = options.write(w, started++);
      const startedAt = performance.now();
      try {
        const out = await send();
        outcomes.push({ key, kind, startedAt, endedAt: performance.now(), attempts: out.$metadata.attempts ?? 1 });
      } catch (err) {
        const e = err as SdkFailure;
        const status = e.$metadata?.httpStatusCode;
        outcomes.push({
          key,
          kind,
          startedAt,
          endedAt: performance.now(),
          error: { name: e.name ?? 'Error', message: e.message ?? String(err), ...(status !== undefined && { status }) },
        });
      }
    }
  };
  await Promise.all(Array.from({ length: options.writers }, (_, w) => writer(w)));
  return outcomes;
}

/** Figures of a load: acknowledged, failed, retried, and the longest acknowledged write (the outage as callers felt it). */
export function summarise(outcomes: readonly WriteOutcome[]) {
  const acked = outcomes.filter((o) => o.error === undefined);
  return {
    writes: outcomes.length,
    acknowledged: acked.length,
    failed: outcomes.length - acked.length,
    retried: acked.filter((o) => (o.attempts ?? 1) > 1).length,
    longestAckedMs: Math.round(Math.max(0, ...acked.map((o) => o.endedAt - o.startedAt))),
    failures: outcomes.filter((o) => o.error).map((o) => `${o.kind} ${o.key}: ${o.error!.name} ${o.error!.status ?? ''} ${o.error!.message}`),
  };
}
