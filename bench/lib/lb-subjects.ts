/**
 * The load-balancer benchmark's fixed parts: cheap targets (one HAProxy answering 200 on several
 * addresses), a hand-written minimal HAProxy in front of them, and the load tools run in their
 * own processes (autocannon; a sequential keep-alive prober for fine latency percentiles).
 */
import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A HAProxy this benchmark started (daemonised; its pid from its pid file). */
export interface BenchHaproxy {
  pid: number;
  stop: () => Promise<void>;
}

/** Starts HAProxy with `config` written to `dir/name.cfg`. */
export async function startHaproxy(dir: string, name: string, config: string): Promise<BenchHaproxy> {
  const cfg = join(dir, `${name}.cfg`);
  const pidFile = join(dir, `${name}.pid`);
  await writeFile(cfg, config);
  await run('/usr/sbin/haproxy', ['-D', '-p', pidFile, '-f', cfg]);
  const pid = Number((await readFile(pidFile, 'utf8')).trim().split('\n')[0]);
  return {
    pid,
    stop: async () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 200; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          return;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

const defaults = ['defaults', '  mode http', '  timeout connect 5s', '  timeout client 60s', '  timeout server 60s', ''];

/** Targets: each address answers 200 with `x-target: <its name>` to every request. */
export function targetsConfig(targets: Array<{ name: string; address: string; port: number }>): string {
  const lines = ['global', '  nbthread 1', '', ...defaults];
  for (const t of targets) {
    lines.push(`frontend ${t.name}`, `  bind ${t.address}:${t.port}`, `  http-request return status 200 content-type text/plain string ok hdr x-target ${t.name}`, '');
  }
  return `${lines.join('\n')}\n`;
}

/** The hand-written baseline: one frontend, round robin over the targets, nothing else. */
export function minimalConfig(bind: string, targets: Array<{ name: string; address: string; port: number }>): string {
  return `${['global', '', ...defaults, 'frontend fe', `  bind ${bind}`, '  default_backend be', '', 'backend be', '  balance roundrobin',
    ...targets.map((t) => `  server ${t.name} ${t.address}:${t.port}`)].join('\n')}\n`;
}

/** What autocannon measured. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Runs autocannon in its own process; `rate` limits the overall request rate. */
export async function autocannon(url: string, connections: number, seconds: number, rate?: number): Promise<LoadResult> {
  const args = ['-c', String(connections), '-d', String(seconds), '-j', ...(rate ? ['-R', String(Math.round(rate))] : []), url];
  const { stdout } = await run(join('node_modules', '.bin', 'autocannon'), args, { maxBuffer: 16 << 20 });
  const r = JSON.parse(stdout) as { requests: { average: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number; timeouts: number };
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

/** Latency percentiles (ms, µs resolution) of one URL's probes. */
export interface ProbeStats {
  n: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * Fine latency percentiles of sequential keep-alive GETs for `seconds`, from a child process,
 * alternating between `urls` request by request: the machine's noise (a shared 2-vCPU host) then
 * falls on every URL alike, and the difference of their percentiles is the proxy's own cost.
 */
export function probeLatency(urls: string[], seconds: number): Promise<ProbeStats[]> {
  const script = `
    const http = require('node:http');
    const urls = ${JSON.stringify(urls)};
    const agents = urls.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    const end = Date.now() + ${seconds * 1000};
    const samples = urls.map(() => []); const errors = urls.map(() => 0);
    const one = (i) => new Promise((resolve) => {
      const t = process.hrtime.bigint();
      const req = http.get(urls[i], { agent: agents[i] }, (res) => {
        res.resume();
        res.on('end', () => { if (res.statusCode === 200) samples[i].push(Number(process.hrtime.bigint() - t) / 1e6); else errors[i]++; resolve(); });
      });
      req.on('error', () => { errors[i]++; resolve(); });
    });
    (async () => {
      for (let k = 0; Date.now() < end; k++) { await one(k % urls.length); await new Promise((r) => setTimeout(r, 1)); }
      const stats = samples.map((s, i) => {
        s.sort((a, b) => a - b);
        const at = (q) => s[Math.max(0, Math.ceil(q * s.length) - 1)];
        return { n: s.length, p50: at(0.5), p99: at(0.99), errors: errors[i] };
      });
      process.stdout.write(JSON.stringify(stats));
      agents.forEach((a) => a.destroy());
    })();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += String(d)));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ProbeStats[]) : reject(new Error(`latency probe exited ${code}`))));
  });
}
