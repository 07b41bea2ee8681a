/**
 * One health check of one target, as ELB makes it: HTTP(S) GET of the path with a timeout and a
 * status matcher, or a TCP connect. The result says why a check failed, for ELB's reason codes.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';

/** The outcome of one check. */
export type ProbeResult = { ok: true } | { ok: false; failure: 'timeout' | 'connection' } | { ok: false; failure: 'status'; code: number };

/** What to check. */
export interface ProbeTarget {
  protocol: 'HTTP' | 'HTTPS' | 'TCP';
  address: string;
  port: number;
  path: string;
  timeoutMs: number;
  matcher: (code: number) => boolean;
}

/** Parses ELB's matcher ("200", "200,202", "200-299"); an absent matcher is "200". */
export function parseMatcher(matcher: string | undefined): (code: number) => boolean {
  const parts = (matcher ?? '200').split(',').map((p) => p.trim()).filter(Boolean);
  const ranges = parts.map((p) => {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(p);
    if (!m) throw new Error(`invalid health check matcher ${matcher}`);
    return [Number(m[1]), Number(m[2] ?? m[1])] as const;
  });
  return (code) => ranges.some(([lo, hi]) => code >= lo && code <= hi);
}

/** Runs one check. */
export function probe(target: ProbeTarget): Promise<ProbeResult> {
  return target.protocol === 'TCP' ? tcpProbe(target) : httpProbe(target);
}

function tcpProbe(target: ProbeTarget): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.address, port: target.port });
    const finish = (result: ProbeResult): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, failure: 'timeout' }), target.timeoutMs);
    socket.on('connect', () => finish({ ok: true }));
    socket.on('error', () => finish({ ok: false, failure: 'connection' }));
  });
}

function httpProbe(target: ProbeTarget): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const send = target.protocol === 'HTTPS' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = send({
      host: target.address,
      port: target.port,
      path: target.path,
      method: 'GET',
      agent: false,
      rejectUnauthorized: false,
      headers: { host: `${target.address}:${target.port}`, 'user-agent': 'ELB-HealthChecker/2.0', connection: 'close' },
    });
    const timer = setTimeout(() => finish({ ok: false, failure: 'timeout' }), target.timeoutMs);
    req.on('response', (res) => {
      const code = res.statusCode ?? 0;
      res.resume();
      finish(target.matcher(code) ? { ok: true } : { ok: false, failure: 'status', code });
    });
    req.on('error', () => finish({ ok: false, failure: 'connection' }));
    req.end();
  });
}
