// autocannon ships no types and @types/autocannon is not a dependency; this declares the part bench/ uses.
declare module 'autocannon' {
  interface Options {
    url: string;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
  }
  /** Percentiles of an HdrHistogram, as autocannon reports them (keys like p50, p97_5, p99). */
  interface Histogram {
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
    total?: number;
  }
  interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    /** Milliseconds, 2xx responses only, recorded at 1 ms resolution. */
    latency: Histogram;
    /** Per-second samples of completed requests. */
    requests: Histogram & { sent: number };
  }
  /** Without a callback autocannon returns an event emitter that is also a thenable. */
  function autocannon(options: Options): PromiseLike<Result>;
  export default autocannon;
}
