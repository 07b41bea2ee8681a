import { invalidConfiguration, validation } from './errors.js';
import type { LoadBalancerType } from './records.js';

/**
 * Load balancer and target group attributes. Each documented key has AWS's default; a key minato
 * honours takes any value AWS takes, and a key whose behaviour minato does not have (access logs
 * to S3, proxy protocol, ...) takes only its default: any other value is refused, never stored
 * and ignored.
 */
interface AttributeRule {
  /** The default by load balancer type. */
  defaults: Partial<Record<LoadBalancerType, string>>;
  /** Validates a value the caller may set; absent: only the default is accepted. */
  check?: (value: string) => string | undefined;
}

const bool = (v: string) => (v === 'true' || v === 'false' ? undefined : 'must be true or false');
const intIn = (min: number, max: number) => (v: string) =>
  /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max ? undefined : `must be an integer from ${min} to ${max}`;
const oneOf = (...values: string[]) => (v: string) => (values.includes(v) ? undefined : `must be one of: ${values.join(', ')}`);
const both = (value: string): Partial<Record<LoadBalancerType, string>> => ({ application: value, network: value });
const alb = (value: string): Partial<Record<LoadBalancerType, string>> => ({ application: value });
const nlb = (value: string): Partial<Record<LoadBalancerType, string>> => ({ network: value });

const LOAD_BALANCER_ATTRIBUTES: Record<string, AttributeRule> = {
  'idle_timeout.timeout_seconds': { defaults: alb('60'), check: intIn(1, 4000) },
  'deletion_protection.enabled': { defaults: both('false'), check: bool },
  'access_logs.s3.enabled': { defaults: both('false') },
  'access_logs.s3.bucket': { defaults: both('') },
  'access_logs.s3.prefix': { defaults: both('') },
  'connection_logs.s3.enabled': { defaults: alb('false') },
  'connection_logs.s3.bucket': { defaults: alb('') },
  'connection_logs.s3.prefix': { defaults: alb('') },
  'health_check_logs.s3.enabled': { defaults: alb('false') },
  'health_check_logs.s3.bucket': { defaults: alb('') },
  'health_check_logs.s3.prefix': { defaults: alb('') },
  'routing.http2.enabled': { defaults: alb('true'), check: bool },
  'routing.http.drop_invalid_header_fields.enabled': { defaults: alb('false') },
  'routing.http.desync_mitigation_mode': { defaults: alb('defensive') },
  'routing.http.preserve_host_header.enabled': { defaults: alb('false') },
  'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': { defaults: alb('false') },
  'routing.http.xff_client_port.enabled': { defaults: alb('false') },
  'routing.http.xff_header_processing.mode': { defaults: alb('append') },
  'client_keep_alive.seconds': { defaults: alb('3600') },
  'waf.fail_open.enabled': { defaults: alb('false') },
  // One host: every target is in "every zone", so cross-zone balancing is what happens anyway.
  'load_balancing.cross_zone.enabled': { defaults: { application: 'true', network: 'false' }, check: bool },
  'dns_record.client_routing_policy': { defaults: nlb('any_availability_zone') },
  'zonal_shift.config.enabled': { defaults: both('false') },
};

const TARGET_GROUP_ATTRIBUTES: Record<string, AttributeRule> = {
  'deregistration_delay.timeout_seconds': { defaults: both('300'), check: intIn(0, 3600) },
  'slow_start.duration_seconds': {
    defaults: alb('0'),
    check: (v) => (/^\d+$/.test(v) && (Number(v) === 0 || (Number(v) >= 30 && Number(v) <= 900)) ? undefined : 'must be 0 or an integer from 30 to 900'),
  },
  'stickiness.enabled': { defaults: both('false'), check: bool },
  'stickiness.type': { defaults: { application: 'lb_cookie', network: 'source_ip' } },
  'stickiness.lb_cookie.duration_seconds': { defaults: alb('86400'), check: intIn(1, 604800) },
  'stickiness.app_cookie.cookie_name': { defaults: alb(''), check: (v) => (/^[A-Za-z0-9!#$%&'*+\-.^_`|~]{0,128}$/.test(v) ? undefined : 'is not a valid cookie name') },
  'stickiness.app_cookie.duration_seconds': { defaults: alb('86400'), check: intIn(1, 604800) },
  'load_balancing.algorithm.type': { defaults: alb('round_robin'), check: oneOf('round_robin', 'least_outstanding_requests') },
  'load_balancing.algorithm.anomaly_mitigation': { defaults: alb('off') },
  'load_balancing.cross_zone.enabled': { defaults: both('use_load_balancer_configuration'), check: oneOf('true', 'false', 'use_load_balancer_configuration') },
  'target_group_health.dns_failover.minimum_healthy_targets.count': { defaults: both('1') },
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': { defaults: both('off') },
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': { defaults: both('1') },
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': { defaults: both('off') },
  'deregistration_delay.connection_termination.enabled': { defaults: nlb('false') },
  'preserve_client_ip.enabled': { defaults: nlb('false') },
  'proxy_protocol_v2.enabled': { defaults: nlb('false') },
  'target_health_state.unhealthy.connection_termination.enabled': { defaults: nlb('true') },
  'target_health_state.unhealthy.draining_interval_seconds': { defaults: nlb('0') },
};

/** The stickiness types by target group protocol family. */
const STICKINESS_TYPES: Record<LoadBalancerType, string[]> = { application: ['lb_cookie', 'app_cookie'], network: ['source_ip'] };

function defaultsOf(table: Record<string, AttributeRule>, type: LoadBalancerType): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, rule] of Object.entries(table)) {
    const value = rule.defaults[type];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export const loadBalancerAttributeDefaults = (type: LoadBalancerType) => defaultsOf(LOAD_BALANCER_ATTRIBUTES, type);
export const targetGroupAttributeDefaults = (family: LoadBalancerType) => defaultsOf(TARGET_GROUP_ATTRIBUTES, family);

/**
 * `current` with `changes` applied, or the first fault: an unknown key is a ValidationError, a
 * value minato cannot honour an InvalidConfigurationRequest.
 */
function applyAttributes(
  table: Record<string, AttributeRule>,
  what: string,
  type: LoadBalancerType,
  current: Record<string, string>,
  changes: ReadonlyArray<{ Key?: string; Value?: string }>,
): Record<string, string> {
  const next = { ...current };
  for (const { Key: key, Value: value = '' } of changes) {
    const rule = key === undefined ? undefined : table[key];
    if (key === undefined || !rule || rule.defaults[type] === undefined) {
      throw validation(`${what} attribute key '${key ?? ''}' is not recognized`);
    }
    if (rule.check) {
      const fault = rule.check(value);
      if (fault) throw invalidConfiguration(`${what} attribute '${key}' ${fault}; got '${value}'`);
    } else if (value !== rule.defaults[type]) {
      throw invalidConfiguration(`${what} attribute '${key}' can only be '${rule.defaults[type]!}' on this endpoint: minato does not provide that feature`);
    }
    next[key] = value;
  }
  return next;
}

export function applyLoadBalancerAttributes(type: LoadBalancerType, current: Record<string, string>, changes: ReadonlyArray<{ Key?: string; Value?: string }>) {
  return applyAttributes(LOAD_BALANCER_ATTRIBUTES, 'Load balancer', type, current, changes);
}

/** Target group attributes; stickiness types are checked against the group's protocol family. */
export function applyTargetGroupAttributes(family: LoadBalancerType, current: Record<string, string>, changes: ReadonlyArray<{ Key?: string; Value?: string }>) {
  const typeChange = changes.find((c) => c.Key === 'stickiness.type');
  const rest = changes.filter((c) => c.Key !== 'stickiness.type');
  const next = applyAttributes(TARGET_GROUP_ATTRIBUTES, 'Target group', family, current, rest);
  if (typeChange) {
    const value = typeChange.Value ?? '';
    if (!STICKINESS_TYPES[family].includes(value)) {
      throw validation(`Stickiness type '${value}' is not supported for target groups with the ${family === 'application' ? 'HTTP or HTTPS' : 'TCP'} protocol`);
    }
    next['stickiness.type'] = value;
  }
  if (next['stickiness.type'] === 'app_cookie' && next['stickiness.enabled'] === 'true' && !next['stickiness.app_cookie.cookie_name']) {
    throw invalidConfiguration("Target group attribute 'stickiness.app_cookie.cookie_name' must be set for the app_cookie stickiness type");
  }
  return next;
}

/** Listener attributes: AWS's defaults by load balancer type; minato honours none, so only the defaults are taken. */
const LISTENER_ATTRIBUTES: Record<string, AttributeRule> = {
  'routing.http.response.server.enabled': { defaults: alb('true') },
  'tcp.idle_timeout.seconds': { defaults: nlb('350') },
};

export const listenerAttributeDefaults = (type: LoadBalancerType) => defaultsOf(LISTENER_ATTRIBUTES, type);

export function applyListenerAttributes(type: LoadBalancerType, changes: ReadonlyArray<{ Key?: string; Value?: string }>) {
  return applyAttributes(LISTENER_ATTRIBUTES, 'Listener', type, listenerAttributeDefaults(type), changes);
}
