/**
 * The whole desired state as one haproxy.cfg plus the files it names (certificates, error pages,
 * response bodies). Pure: the same config and health give the same text, so an unchanged state
 * never causes a reload.
 */
import type { ProxyConfig, ProxyListener, ProxyLoadBalancer, ProxyTarget, ProxyTargetGroup } from './proxy-config.js';
import { albErrorResponse, albErrorStatuses } from './error-pages.js';
import { backendName, frontendName, quoted, serverName, shortId } from './haproxy-syntax.js';
import { type ConfigFile, groupStickinessCookie, ruleLines } from './rule-config.js';

export type { ConfigFile } from './rule-config.js';

/** Where the running HAProxy finds its sockets and files. */
export interface HaproxyPaths {
  /** The directory holding the configuration; relative file names are resolved against it. */
  dir: string;
  /** The worker's runtime API socket (admin level). */
  adminSocket: string;
  pidFile: string;
}

/** The generated configuration. */
export interface HaproxyConfig {
  text: string;
  files: ConfigFile[];
}

/** Listener protocols HAProxy serves (UDP is not a thing HAProxy proxies). */
const servedProtocols = new Set(['HTTP', 'HTTPS', 'TCP', 'TLS']);

/** Renders `config`; `serves` says whether a target takes new requests now (see serving.ts). */
export function haproxyConfig(
  config: ProxyConfig,
  serves: (group: ProxyTargetGroup, target: ProxyTarget) => boolean,
  paths: HaproxyPaths,
): HaproxyConfig {
  const files: ConfigFile[] = albErrorStatuses.map((s) => ({ path: `errors/${s}.http`, content: albErrorResponse(s) }));
  const maxDrain = Math.max(30, ...config.targetGroups.map((g) => g.deregistrationDelaySeconds));
  const out: string[] = [
    'global',
    '  master-worker',
    `  pidfile ${quoted(paths.pidFile)}`,
    `  stats socket ${quoted(paths.adminSocket)} mode 600 level admin expose-fd listeners`,
    // An old worker keeps its in-flight requests after a reload, at most as long as a drain lasts.
    `  hard-stop-after ${maxDrain}s`,
    // A listener address another process already holds is an error, not a silently shared port;
    // reloads hand the sockets over (expose-fd listeners), so they need no SO_REUSEPORT.
    '  noreuseport',
    '',
    'defaults',
    '  mode http',
    '  timeout connect 10s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout tunnel 60s',
    '  timeout http-keep-alive 60s',
    // An old worker closes an idle keep-alive connection only after answering one more request
    // on it (with `Connection: close`), so a client never writes into a connection being closed.
    '  option idle-close-on-response',
    ...albErrorStatuses.map((s) => `  errorfile ${s} ${quoted(`${paths.dir}/errors/${s}.http`)}`),
    '',
  ];
  const idleOf = idleTimeoutsByGroup(config);
  for (const lb of config.loadBalancers) {
    for (const listener of lb.listeners) {
      if (!servedProtocols.has(listener.protocol)) continue;
      out.push(...frontendLines(lb, listener, paths, files), '');
    }
  }
  for (const group of config.targetGroups) out.push(...backendLines(group, serves, idleOf.get(group.arn) ?? 60, paths.dir), '');
  return { text: `${out.join('\n')}\n`, files };
}

/** A group's server-side timeout is the longest idle timeout of the load balancers using it. */
function idleTimeoutsByGroup(config: ProxyConfig): Map<string, number> {
  const idle = new Map<string, number>();
  for (const lb of config.loadBalancers) {
    const seconds = lb.type === 'network' ? 350 : lb.idleTimeoutSeconds;
    for (const l of lb.listeners) {
      for (const r of l.rules) {
        if (r.action.type !== 'forward') continue;
        for (const g of r.action.targetGroups) idle.set(g.arn, Math.max(idle.get(g.arn) ?? 0, seconds));
      }
    }
  }
  return idle;
}

function frontendLines(lb: ProxyLoadBalancer, listener: ProxyListener, paths: HaproxyPaths, files: ConfigFile[]): string[] {
  const tls = listener.protocol === 'HTTPS' || listener.protocol === 'TLS';
  const http = listener.protocol === 'HTTP' || listener.protocol === 'HTTPS';
  let bind = `  bind ${lb.address}:${listener.port}`;
  if (tls) {
    if (listener.certificates.length === 0) throw new Error(`listener ${listener.arn} needs a certificate`);
    const list = `certs/${frontendName(listener.arn)}.list`;
    const pems = listener.certificates.map((c) => {
      const path = `certs/${shortId(c.arn)}.pem`;
      const chain = c.chainPem ? `${c.chainPem.trim()}\n` : '';
      files.push({ path, content: `${c.certificatePem.trim()}\n${chain}${c.privateKeyPem.trim()}\n` });
      return `${paths.dir}/${path}`;
    });
    files.push({ path: list, content: `${[...new Set(pems)].join('\n')}\n` });
    bind += ` ssl crt-list ${quoted(`${paths.dir}/${list}`)}${http ? ' alpn h2,http/1.1' : ''}`;
  }
  const idle = lb.type === 'network' ? 350 : lb.idleTimeoutSeconds;
  const lines = [`frontend ${frontendName(listener.arn)}`, `  # ${lb.name} ${listener.protocol}:${listener.port}`, bind];
  if (!http) {
    const forward = listener.rules.find((r) => r.action.type === 'forward');
    lines.push('  mode tcp', `  timeout client ${idle}s`);
    if (forward?.action.type === 'forward' && forward.action.targetGroups[0]) {
      lines.push(`  default_backend ${backendName(forward.action.targetGroups[0].arn)}`);
    }
    return lines;
  }
  const scheme = listener.protocol === 'HTTPS' ? 'https' : 'http';
  lines.push(
    '  mode http',
    `  timeout client ${idle}s`,
    `  timeout http-keep-alive ${idle}s`,
    '  option forwardfor',
    `  http-request set-header X-Forwarded-Proto ${scheme}`,
    `  http-request set-header X-Forwarded-Port ${listener.port}`,
  );
  const rules = ruleLines(listener, scheme, paths.dir);
  files.push(...rules.files);
  lines.push(...rules.lines.map((l) => `  ${l}`));
  lines.push(
    `  http-response add-header Set-Cookie "${groupStickinessCookie}=%[be_name]; Max-Age=%[var(txn.tgstick)]; Path=/" if { var(txn.tgstick) -m found }`,
  );
  return lines;
}

function backendLines(group: ProxyTargetGroup, serves: (g: ProxyTargetGroup, t: ProxyTarget) => boolean, idle: number, dir: string): string[] {
  const http = group.protocol === 'HTTP' || group.protocol === 'HTTPS';
  const lines = [`backend ${backendName(group.arn)}`, `  # ${group.name}`, `  mode ${http ? 'http' : 'tcp'}`];
  if (http) {
    // HAProxy answers 503 both when no server is usable and when a connection to the target
    // fails; an ALB answers 503 only for the first (no target registered, or none in service)
    // and 502 for the second. So the group's own 503 page is the ALB's 502, and the request finds
    // the ALB's 503 when no server is left. A worker finishing its requests after a reload counts
    // no server at all (its backends are stopped), so it leaves the test to the new worker.
    lines.push(
      `  http-request return status 503 errorfile ${quoted(`${dir}/errors/503.http`)} if { nbsrv eq 0 } !{ stopping }`,
      `  errorfile 503 ${quoted(`${dir}/errors/502.http`)}`,
    );
  }
  lines.push(`  balance ${group.algorithm === 'least_outstanding_requests' ? 'leastconn' : 'roundrobin'}`);
  lines.push(`  timeout server ${idle}s`, `  timeout tunnel ${idle}s`);
  const s = group.stickiness;
  let cookie = false;
  if (s.enabled && http && s.type === 'lb_cookie') {
    lines.push(`  cookie AWSALB insert indirect nocache attr ${quoted(`Max-Age=${s.durationSeconds}`)}`);
    cookie = true;
  } else if (s.enabled && http && s.type === 'app_cookie' && s.cookieName && /^[A-Za-z0-9_.-]+$/.test(s.cookieName)) {
    lines.push(`  stick-table type string len 128 size 100k expire ${s.durationSeconds}s`);
    lines.push(`  stick on req.cook(${s.cookieName})`, `  stick store-response res.cook(${s.cookieName})`);
  } else if (s.enabled && s.type === 'source_ip') {
    lines.push(`  stick-table type ip size 100k expire ${s.durationSeconds || 300}s`, '  stick on src');
  }
  const seen = new Set<string>();
  for (const t of group.targets) {
    const name = serverName(t.address, t.port);
    if (seen.has(name)) continue;
    seen.add(name);
    let line = `  server ${name} ${t.address}:${t.port} weight 100`;
    if (group.protocol === 'HTTPS' || group.protocol === 'TLS') line += ' ssl verify none';
    if (http && (group.protocolVersion === 'HTTP2' || group.protocolVersion === 'GRPC')) line += ' proto h2';
    if (group.slowStartSeconds > 0) line += ` slowstart ${group.slowStartSeconds}s`;
    // The cookie names the target opaquely, as the ALB's does.
    if (cookie) line += ` cookie ${shortId(`${group.arn}/${name}`)}`;
    if (!serves(group, t)) line += ' disabled';
    lines.push(line);
  }
  return lines;
}
