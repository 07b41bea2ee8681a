/**
 * One listener's rules as HAProxy lines. Each rule, in order, claims the request by setting
 * `txn.rule` when its conditions match and no earlier rule claimed it; the actions then test only
 * `txn.rule`. This keeps ELB's first-match order even though HAProxy evaluates every
 * `http-request return/redirect` before any `use_backend`.
 */
import type { ProxyAction, ProxyCondition, ProxyListener, ProxyRule } from './proxy-config.js';
import { backendName, frontendName, logFormatLiteral, quoted, wildcardRegex } from './haproxy-syntax.js';

/** A file the configuration refers to (fixed-response bodies), relative to the configuration's directory. */
export interface ConfigFile {
  path: string;
  content: string;
}

/** The cookie that keeps a client with the target group a weighted forward sent it to. */
export const groupStickinessCookie = 'AWSALBTG';

const headerName = /^[A-Za-z0-9_-]+$/;
const methodName = /^[A-Za-z0-9_-]+$/;

/** One condition as an anonymous ACL (values OR-ed). */
export function conditionAcl(condition: ProxyCondition): string {
  const words = (values: string[]): string => values.map(quoted).join(' ');
  switch (condition.field) {
    case 'path-pattern':
      return `{ path -m reg ${words(condition.values.map(wildcardRegex))} }`;
    case 'host-header':
      return `{ req.hdr(host),field(1,:) -m reg -i ${words(condition.values.map(wildcardRegex))} }`;
    case 'http-header':
      if (!headerName.test(condition.headerName)) throw new Error(`unsupported header name ${condition.headerName}`);
      return `{ req.fhdr(${condition.headerName}) -m reg -i ${words(condition.values.map(wildcardRegex))} }`;
    case 'http-request-method':
      for (const m of condition.values) if (!methodName.test(m)) throw new Error(`unsupported method ${m}`);
      return `{ method ${condition.values.join(' ')} }`;
    case 'query-string':
      return `{ query -m reg -i ${words(condition.values.map((v) => queryPairRegex(v.key, v.value)))} }`;
    case 'source-ip':
      for (const c of condition.values) if (!/^[0-9a-fA-F.:/]+$/.test(c)) throw new Error(`unsupported CIDR ${c}`);
      return `{ src ${condition.values.join(' ')} }`;
  }
}

/** A `key=value` pair of the query string (any key when absent), wildcards staying inside the pair. */
function queryPairRegex(key: string | undefined, value: string): string {
  const part = (glob: string): string =>
    [...glob].map((ch) => (ch === '*' ? '[^&]*' : ch === '?' ? '[^&]' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return `(^|&)${key === undefined ? '[^&=]*' : part(key)}=${part(value)}(&|$)`;
}

/** The lines of one listener's rules, and the files they refer to. */
export function ruleLines(
  listener: ProxyListener,
  scheme: 'http' | 'https',
  dir: string,
): { lines: string[]; files: ConfigFile[] } {
  const lines: string[] = [];
  const actions: string[] = [];
  const files: ConfigFile[] = [];
  listener.rules.forEach((rule: ProxyRule, i) => {
    const conds = rule.conditions.map(conditionAcl).join(' ');
    lines.push(`http-request set-var(txn.rule) int(${i}) if !{ var(txn.rule) -m found }${conds ? ` ${conds}` : ''}`);
    const when = `{ var(txn.rule) -m int eq ${i} }`;
    actions.push(...actionLines(rule.action, when, i, scheme, files, `bodies/${frontendName(listener.arn)}-${i}.txt`, dir));
  });
  // HAProxy runs every http-request rule before any use_backend; writing them in that order too.
  const isBackend = (l: string): boolean => l.startsWith('use_backend');
  return { lines: [...lines, ...actions.filter((l) => !isBackend(l)), ...actions.filter(isBackend)], files };
}

function actionLines(
  action: ProxyAction,
  when: string,
  index: number,
  scheme: 'http' | 'https',
  files: ConfigFile[],
  bodyPath: string,
  dir: string,
): string[] {
  switch (action.type) {
    case 'fixed-response': {
      let reply = `http-request return status ${Number(action.statusCode)}`;
      const body = action.messageBody ?? '';
      if (body !== '') {
        files.push({ path: bodyPath, content: body });
        reply += ` content-type ${quoted(action.contentType ?? 'text/plain; charset=utf-8')} file ${quoted(`${dir}/${bodyPath}`)}`;
      }
      return [`${reply} hdr Server awselb/2.0 if ${when}`];
    }
    case 'redirect': {
      const code = action.statusCode === 'HTTP_301' ? 301 : 302;
      const base = redirectBase(action, scheme);
      if (action.query === '#{query}') {
        return [
          `http-request redirect location ${quoted(`${base}?%[query]`)} code ${code} if ${when} { query -m found }`,
          `http-request redirect location ${quoted(base)} code ${code} if ${when}`,
        ];
      }
      const query = action.query === '' ? '' : `?${placeholders(action.query, scheme)}`;
      return [`http-request redirect location ${quoted(base + query)} code ${code} if ${when}`];
    }
    case 'forward':
      return forwardLines(action, when, index);
  }
}

/** `protocol://host[:port]path` with ELB's `#{…}` placeholders as HAProxy sample fetches. */
function redirectBase(action: Extract<ProxyAction, { type: 'redirect' }>, scheme: 'http' | 'https'): string {
  const protocol = action.protocol === '#{protocol}' ? scheme : action.protocol.toLowerCase();
  const defaultPort = (protocol === 'http' && action.port === '80') || (protocol === 'https' && action.port === '443');
  const port = defaultPort ? '' : `:${placeholders(action.port, scheme)}`;
  return `${protocol}://${placeholders(action.host, scheme)}${port}${placeholders(action.path, scheme)}`;
}

function placeholders(component: string, scheme: 'http' | 'https'): string {
  return logFormatLiteral(component)
    .replace(/#\{protocol\}/g, scheme)
    .replace(/#\{host\}/g, '%[req.hdr(host),field(1,:)]')
    .replace(/#\{port\}/g, '%[dst_port]')
    .replace(/#\{path\}/g, '%[path,regsub(^/,)]')
    .replace(/#\{query\}/g, '%[query]');
}

/** One group, or weighted groups picked by a random draw; with group stickiness the cookie wins. */
function forwardLines(action: Extract<ProxyAction, { type: 'forward' }>, when: string, index: number): string[] {
  const weighted = action.targetGroups.filter((g) => g.weight > 0);
  const groups = weighted.length > 0 ? weighted : action.targetGroups.slice(0, 1);
  if (groups.length === 1) return [`use_backend ${backendName(groups[0]!.arn)} if ${when}`];
  const lines: string[] = [];
  if (action.stickiness?.enabled) {
    lines.push(`http-request set-var(txn.tgstick) int(${action.stickiness.durationSeconds}) if ${when}`);
    for (const g of groups) {
      lines.push(`use_backend ${backendName(g.arn)} if ${when} { req.cook(${groupStickinessCookie}) -m str ${backendName(g.arn)} }`);
    }
  }
  const total = groups.reduce((sum, g) => sum + g.weight, 0);
  lines.push(`http-request set-var(txn.pick${index}) rand(${total}) if ${when}`);
  let upTo = 0;
  for (const g of groups) {
    upTo += g.weight;
    lines.push(`use_backend ${backendName(g.arn)} if ${when} { var(txn.pick${index}) -m int lt ${upTo} }`);
  }
  return lines;
}
