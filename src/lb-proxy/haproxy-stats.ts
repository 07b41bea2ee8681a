/**
 * HAProxy's `show info` and `show stat` answers as counters, pure. `show stat` is CSV with a
 * `# pxname,svname,…` header line; the columns are read by name, so fields added by later
 * HAProxy versions do not move anything. Counters (`stot`, `req_tot`, `hrsp_*`, `bin`…) are
 * cumulative since the worker started; `scur` and `rtime` are gauges.
 */

/** Cumulative counters of one frontend, backend or server. */
export interface ProxyCounters {
  /** HTTP requests (frontend: received; backend and server: sent on). */
  requests: number;
  /** Connections accepted (frontend) or sessions (backend, server). */
  connections: number;
  bytesIn: number;
  bytesOut: number;
  /** Responses by class: 1xx…5xx. */
  hrsp1xx: number;
  hrsp2xx: number;
  hrsp3xx: number;
  hrsp4xx: number;
  hrsp5xx: number;
}

export const COUNTER_NAMES = ['requests', 'connections', 'bytesIn', 'bytesOut', 'hrsp1xx', 'hrsp2xx', 'hrsp3xx', 'hrsp4xx', 'hrsp5xx'] as const;

export const zeroCounters = (): ProxyCounters => ({ requests: 0, connections: 0, bytesIn: 0, bytesOut: 0, hrsp1xx: 0, hrsp2xx: 0, hrsp3xx: 0, hrsp4xx: 0, hrsp5xx: 0 });

/** One row of `show stat`. */
export interface StatRow {
  kind: 'frontend' | 'backend' | 'server';
  /** The frontend's or backend's name (`pxname`). */
  proxy: string;
  /** `FRONTEND`, `BACKEND` or the server's name (`svname`). */
  name: string;
  counters: ProxyCounters;
  /** Sessions open now. */
  current: number;
  /** Average response time of the last 1024 requests (ms; 0 in TCP mode). */
  responseTimeMs: number;
}

/** One reading of the running worker. */
export interface StatReading {
  /** The worker's pid: counters start again from zero in a new worker. */
  workerPid: number;
  rows: StatRow[];
}

/** The key a row's counters are tracked under. */
export const rowKey = (row: Pick<StatRow, 'kind' | 'proxy' | 'name'>): string => `${row.kind}/${row.proxy}/${row.name}`;

const KINDS: Record<string, StatRow['kind'] | undefined> = { '0': 'frontend', '1': 'backend', '2': 'server' };

/** Parses the answer of `show info;show stat`; undefined when it holds no worker pid or no header. */
export function parseStatReading(answer: string): StatReading | undefined {
  const lines = answer.split('\n');
  const pidLine = lines.find((l) => l.startsWith('Pid:'));
  const workerPid = Number(pidLine?.slice(4).trim());
  const header = lines.findIndex((l) => l.startsWith('# pxname,'));
  if (!Number.isInteger(workerPid) || workerPid <= 0 || header < 0) return undefined;
  const columns = lines[header]!.slice(2).split(',');
  const at = new Map(columns.map((c, i) => [c, i]));
  const rows: StatRow[] = [];
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = line.split(',');
    const num = (column: string): number => {
      const i = at.get(column);
      const n = i === undefined ? 0 : Number(f[i]);
      return Number.isFinite(n) ? n : 0;
    };
    const kind = KINDS[f[at.get('type') ?? -1] ?? ''];
    if (!kind) continue;
    rows.push({
      kind,
      proxy: f[0] ?? '',
      name: f[1] ?? '',
      counters: {
        // Frontends count requests in req_tot; servers (and backends of older versions) may lack it.
        requests: num('req_tot'),
        connections: kind === 'frontend' ? num('conn_tot') || num('stot') : num('stot'),
        bytesIn: num('bin'),
        bytesOut: num('bout'),
        hrsp1xx: num('hrsp_1xx'),
        hrsp2xx: num('hrsp_2xx'),
        hrsp3xx: num('hrsp_3xx'),
        hrsp4xx: num('hrsp_4xx'),
        hrsp5xx: num('hrsp_5xx'),
      },
      current: num('scur'),
      responseTimeMs: num('rtime'),
    });
  }
  return { workerPid, rows };
}
