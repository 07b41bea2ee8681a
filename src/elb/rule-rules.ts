import type { ProxyAction, ProxyCondition } from '../lb-proxy/proxy-config.js';
import { invalidAction, invalidConfiguration, validation } from './errors.js';
import type { LoadBalancerType, WireAction, WireCondition } from './records.js';

/**
 * The pure rules of listener actions and rule conditions: what ELB accepts, the normalised form it
 * answers with (ForwardConfig filled in, redirect defaults, both forms of host and path
 * conditions), and their translation to the data plane's shapes.
 */

const MAX_CONDITION_VALUES = 5;
const MAX_FORWARD_GROUPS = 5;
const CONTENT_TYPES = ['text/plain', 'text/css', 'text/html', 'application/javascript', 'application/json'];
const SINGLE_FIELDS = ['host-header', 'path-pattern', 'http-request-method', 'source-ip'];
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

const isCidr = (value: string) => {
  const m = CIDR.exec(value);
  return !!m && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
};

/** Validated and normalised actions, and the target groups they forward to. */
export function normaliseActions(actions: readonly WireAction[], lbType: LoadBalancerType): { actions: WireAction[]; targetGroupArns: string[] } {
  if (actions.length === 0) throw validation('At least one action must be specified');
  const out: WireAction[] = [];
  const groups: string[] = [];
  const orders = new Set<number>();
  let terminal = 0;
  for (const action of actions) {
    if (action.Type.startsWith('authenticate-') || action.Type === 'jwt-validation') {
      throw invalidAction(`The action type '${action.Type}' is not supported by this endpoint: minato has no identity provider integration`);
    }
    if (action.Order !== undefined) {
      if (orders.has(action.Order)) throw validation(`Action order '${action.Order}' is duplicated`);
      orders.add(action.Order);
    }
    terminal++;
    if (lbType === 'network' && action.Type !== 'forward') throw invalidAction(`The action type '${action.Type}' is not supported for network load balancers`);
    const order = action.Order !== undefined ? { Order: action.Order } : {};
    switch (action.Type) {
      case 'forward': {
        const arns = forwardGroups(action, lbType);
        groups.push(...arns.map((g) => g.TargetGroupArn));
        const stickiness = action.ForwardConfig?.TargetGroupStickinessConfig;
        if (stickiness?.Enabled && stickiness.DurationSeconds === undefined) {
          throw validation('The target group stickiness duration must be specified when stickiness is enabled');
        }
        out.push({
          Type: 'forward',
          ...(arns.length === 1 && { TargetGroupArn: arns[0]!.TargetGroupArn }),
          ...order,
          ForwardConfig: {
            TargetGroups: arns,
            TargetGroupStickinessConfig: stickiness?.Enabled ? { Enabled: true, DurationSeconds: stickiness.DurationSeconds! } : { Enabled: false },
          },
        });
        break;
      }
      case 'fixed-response': {
        const config = action.FixedResponseConfig;
        if (!config) throw validation("A fixed-response action must have a 'FixedResponseConfig'");
        if (config.ContentType !== undefined && !CONTENT_TYPES.includes(config.ContentType)) {
          throw validation(`The content type '${config.ContentType}' is not valid; use one of ${CONTENT_TYPES.join(', ')}`);
        }
        out.push({ Type: 'fixed-response', ...order, FixedResponseConfig: { ...config } });
        break;
      }
      case 'redirect': {
        const config = action.RedirectConfig;
        if (!config) throw validation("A redirect action must have a 'RedirectConfig'");
        const path = config.Path ?? '/#{path}';
        if (!path.startsWith('/')) throw validation("The redirect path must start with a '/'");
        const protocol = config.Protocol ?? '#{protocol}';
        if (!['HTTP', 'HTTPS', '#{protocol}'].includes(protocol)) throw validation(`The redirect protocol '${protocol}' is not valid`);
        const full = { Protocol: protocol, Port: config.Port ?? '#{port}', Host: config.Host ?? '#{host}', Path: path, Query: config.Query ?? '#{query}', StatusCode: config.StatusCode };
        if (full.Protocol === '#{protocol}' && full.Port === '#{port}' && full.Host === '#{host}' && full.Path === '/#{path}' && full.Query === '#{query}') {
          throw invalidConfiguration('The redirect configuration is not valid: it redirects to the original URL');
        }
        out.push({ Type: 'redirect', ...order, RedirectConfig: full });
        break;
      }
      default:
        throw validation(`The action type '${action.Type}' is not valid`);
    }
  }
  if (terminal > 1) throw invalidConfiguration('Only one forward, redirect or fixed-response action can be specified');
  return { actions: out, targetGroupArns: [...new Set(groups)] };
}

function forwardGroups(action: WireAction, lbType: LoadBalancerType): Array<{ TargetGroupArn: string; Weight: number }> {
  const configured = action.ForwardConfig?.TargetGroups;
  if (configured && configured.length > 0) {
    if (configured.length > MAX_FORWARD_GROUPS) throw invalidConfiguration(`A forward action can have at most ${MAX_FORWARD_GROUPS} target groups`);
    const groups = configured.map((g) => {
      if (!g.TargetGroupArn) throw validation('A target group ARN must be specified');
      return { TargetGroupArn: g.TargetGroupArn, Weight: g.Weight ?? 1 };
    });
    if (new Set(groups.map((g) => g.TargetGroupArn)).size !== groups.length) throw validation('A target group cannot be specified more than once in a forward action');
    if (action.TargetGroupArn !== undefined && (groups.length !== 1 || groups[0]!.TargetGroupArn !== action.TargetGroupArn)) {
      throw validation("You cannot specify both a 'TargetGroupArn' and a 'ForwardConfig' with different target groups");
    }
    if (lbType === 'network' && groups.length > 1) throw invalidConfiguration('A forward action of a network load balancer can have only one target group');
    return groups;
  }
  if (!action.TargetGroupArn) throw validation("A forward action must have a 'TargetGroupArn' or a 'ForwardConfig'");
  return [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }];
}

/** Validated conditions in ELB's answer form (host and path conditions carry Values and their Config). */
export function normaliseConditions(conditions: readonly WireCondition[]): WireCondition[] {
  if (conditions.length === 0) throw validation('A rule must have at least one condition');
  const seen = new Set<string>();
  let values = 0;
  const out = conditions.map((condition) => {
    const field = condition.Field ?? '';
    if (SINGLE_FIELDS.includes(field)) {
      if (seen.has(field)) throw validation(`A rule can only have one '${field}' condition`);
      seen.add(field);
    }
    const regex = condition.RegexValues ?? condition.HostHeaderConfig?.RegexValues ?? condition.PathPatternConfig?.RegexValues ?? condition.HttpHeaderConfig?.RegexValues;
    if (regex) throw invalidConfiguration('Regular expression condition values are not supported by this endpoint');
    const normalised = normaliseCondition(field, condition);
    values += conditionValues(normalised).length;
    return normalised;
  });
  if (values > MAX_CONDITION_VALUES) throw validation(`A rule can only have '${MAX_CONDITION_VALUES}' condition values`);
  return out;
}

function pick(field: string, legacy: string[] | undefined, config: { Values?: string[] } | undefined): string[] {
  if (legacy !== undefined && config !== undefined) throw validation(`You cannot specify both 'Values' and a '${field}' configuration`);
  const values = config?.Values ?? legacy;
  if (!values || values.length === 0) throw validation(`A '${field}' condition must have at least one value`);
  return values;
}

function normaliseCondition(field: string, c: WireCondition): WireCondition {
  switch (field) {
    case 'host-header': {
      const values = pick(field, c.Values, c.HostHeaderConfig);
      for (const v of values) if (v.length > 128 || !/^[A-Za-z0-9\-.*?]+$/.test(v)) throw validation(`The host header value '${v}' is not valid`);
      return { Field: field, Values: values, HostHeaderConfig: { Values: values } };
    }
    case 'path-pattern': {
      const values = pick(field, c.Values, c.PathPatternConfig);
      for (const v of values) if (v.length > 128) throw validation(`The path pattern '${v}' is longer than 128 characters`);
      return { Field: field, Values: values, PathPatternConfig: { Values: values } };
    }
    case 'http-header': {
      if (c.Values) throw validation("An 'http-header' condition takes its values in 'HttpHeaderConfig'");
      const name = c.HttpHeaderConfig?.HttpHeaderName;
      if (!name || !/^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,40}$/.test(name)) throw validation(`The HTTP header name '${name ?? ''}' is not valid`);
      const values = pick(field, undefined, c.HttpHeaderConfig);
      return { Field: field, HttpHeaderConfig: { HttpHeaderName: name, Values: values } };
    }
    case 'http-request-method': {
      if (c.Values) throw validation("An 'http-request-method' condition takes its values in 'HttpRequestMethodConfig'");
      const values = pick(field, undefined, c.HttpRequestMethodConfig);
      for (const v of values) if (!/^[A-Z_-]{1,40}$/.test(v)) throw validation(`The HTTP request method '${v}' is not valid`);
      return { Field: field, HttpRequestMethodConfig: { Values: values } };
    }
    case 'query-string': {
      if (c.Values) throw validation("A 'query-string' condition takes its values in 'QueryStringConfig'");
      const pairs = c.QueryStringConfig?.Values ?? [];
      if (pairs.length === 0) throw validation("A 'query-string' condition must have at least one value");
      return {
        Field: field,
        QueryStringConfig: {
          Values: pairs.map((p) => {
            if (p.Value === undefined || p.Value === '') throw validation('A query string condition value must be specified');
            return { ...(p.Key !== undefined && { Key: p.Key }), Value: p.Value };
          }),
        },
      };
    }
    case 'source-ip': {
      if (c.Values) throw validation("A 'source-ip' condition takes its values in 'SourceIpConfig'");
      const values = pick(field, undefined, c.SourceIpConfig);
      for (const v of values) if (!isCidr(v)) throw validation(`The source IP '${v}' is not a valid IPv4 CIDR block`);
      return { Field: field, SourceIpConfig: { Values: values } };
    }
    default:
      throw validation(`The condition field '${field}' is not valid`);
  }
}

function conditionValues(c: WireCondition): unknown[] {
  return c.Values ?? c.HttpHeaderConfig?.Values ?? c.HttpRequestMethodConfig?.Values ?? c.QueryStringConfig?.Values ?? c.SourceIpConfig?.Values ?? [];
}

/** A normalised condition as the data plane matches it. */
export function proxyCondition(c: WireCondition): ProxyCondition {
  switch (c.Field) {
    case 'host-header':
      return { field: 'host-header', values: c.HostHeaderConfig?.Values ?? c.Values ?? [] };
    case 'path-pattern':
      return { field: 'path-pattern', values: c.PathPatternConfig?.Values ?? c.Values ?? [] };
    case 'http-header':
      return { field: 'http-header', headerName: c.HttpHeaderConfig?.HttpHeaderName ?? '', values: c.HttpHeaderConfig?.Values ?? [] };
    case 'http-request-method':
      return { field: 'http-request-method', values: c.HttpRequestMethodConfig?.Values ?? [] };
    case 'query-string':
      return { field: 'query-string', values: (c.QueryStringConfig?.Values ?? []).map((p) => ({ ...(p.Key !== undefined && { key: p.Key }), value: p.Value ?? '' })) };
    default:
      return { field: 'source-ip', values: c.SourceIpConfig?.Values ?? [] };
  }
}

/** The terminal action of normalised actions, as the data plane carries it out. */
export function proxyAction(actions: readonly WireAction[]): ProxyAction {
  const action = actions.find((a) => a.Type === 'forward' || a.Type === 'fixed-response' || a.Type === 'redirect')!;
  if (action.Type === 'fixed-response') {
    const c = action.FixedResponseConfig!;
    return { type: 'fixed-response', statusCode: c.StatusCode, ...(c.ContentType !== undefined && { contentType: c.ContentType }), ...(c.MessageBody !== undefined && { messageBody: c.MessageBody }) };
  }
  if (action.Type === 'redirect') {
    const c = action.RedirectConfig!;
    return { type: 'redirect', protocol: c.Protocol!, port: c.Port!, host: c.Host!, path: c.Path!, query: c.Query!, statusCode: c.StatusCode as 'HTTP_301' | 'HTTP_302' };
  }
  const config = action.ForwardConfig!;
  const stickiness = config.TargetGroupStickinessConfig;
  return {
    type: 'forward',
    targetGroups: (config.TargetGroups ?? []).map((g) => ({ arn: g.TargetGroupArn!, weight: g.Weight ?? 1 })),
    ...(stickiness?.Enabled && { stickiness: { enabled: true, durationSeconds: stickiness.DurationSeconds ?? 3600 } }),
  };
}

/** The target groups normalised actions forward to. */
export const forwardedGroups = (actions: readonly WireAction[]): string[] =>
  actions.flatMap((a) => (a.Type === 'forward' ? (a.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn!) : []));
