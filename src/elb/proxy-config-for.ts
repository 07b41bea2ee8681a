import type { ObservedTargetHealth, ProxyCertificate, ProxyConfig, ProxyTargetGroup } from '../lb-proxy/proxy-config.js';
import { forwardedGroups, proxyAction, proxyCondition } from './rule-rules.js';
import type { ElbRecords, ListenerRecord, TargetGroupRecord } from './records.js';

/** A certificate's PEM material, by certificate ARN (the private key opened for the data plane only). */
export type CertificateMaterial = ReadonlyMap<string, Omit<ProxyCertificate, 'arn'>>;

/**
 * The data plane's whole desired state from the records: every load balancer with its listeners
 * (rules by ascending priority, the default rule last) and every target group with its targets.
 * Pure: the same records give the same config.
 */
export function proxyConfigFor(records: ElbRecords, certificates: CertificateMaterial): ProxyConfig {
  const byArn = <T extends { arn: string }>(a: T, b: T) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
  const listenersOf = (lbArn: string) => records.listeners.filter((l) => l.loadBalancerArn === lbArn).sort((a, b) => a.port - b.port);
  return {
    loadBalancers: [...records.loadBalancers].sort(byArn).map((lb) => ({
      arn: lb.arn,
      name: lb.name,
      type: lb.type,
      dnsName: lb.dnsName,
      address: lb.address,
      idleTimeoutSeconds: Number(lb.attributes['idle_timeout.timeout_seconds'] ?? 60),
      listeners: listenersOf(lb.arn).map((listener) => ({
        arn: listener.arn,
        port: listener.port,
        protocol: listener.protocol,
        certificates: listenerCertificates(listener, certificates),
        rules: [
          ...records.rules
            .filter((r) => r.listenerArn === listener.arn)
            .sort((a, b) => a.priority - b.priority)
            .map((rule) => ({ arn: rule.arn, priority: rule.priority, conditions: rule.conditions.map(proxyCondition), action: proxyAction(rule.actions) })),
          { arn: listener.defaultRuleArn, priority: 'default' as const, conditions: [], action: proxyAction(listener.defaultActions) },
        ],
      })),
    })),
    targetGroups: [...records.targetGroups].sort(byArn).map(proxyTargetGroup),
  };
}

/** The default certificate first, then the others by ARN; certificates whose material is gone are left out. */
function listenerCertificates(listener: ListenerRecord, material: CertificateMaterial): ProxyCertificate[] {
  const ordered = [...listener.certificates].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || (a.arn < b.arn ? -1 : 1));
  return ordered.flatMap((c) => {
    const m = material.get(c.arn);
    return m ? [{ arn: c.arn, ...m }] : [];
  });
}

function proxyTargetGroup(tg: TargetGroupRecord): ProxyTargetGroup {
  const a = tg.attributes;
  const hc = tg.healthCheck;
  const stickinessType = (a['stickiness.type'] ?? 'lb_cookie') as ProxyTargetGroup['stickiness']['type'];
  const durationKey = stickinessType === 'app_cookie' ? 'stickiness.app_cookie.duration_seconds' : 'stickiness.lb_cookie.duration_seconds';
  return {
    arn: tg.arn,
    name: tg.name,
    protocol: tg.protocol,
    ...(tg.protocolVersion !== undefined && { protocolVersion: tg.protocolVersion }),
    healthCheck: {
      enabled: hc.enabled,
      protocol: hc.protocol,
      port: hc.port === 'traffic-port' ? 'traffic-port' : Number(hc.port),
      ...(hc.path !== undefined && { path: hc.path }),
      intervalSeconds: hc.intervalSeconds,
      timeoutSeconds: hc.timeoutSeconds,
      healthyThreshold: hc.healthyThreshold,
      unhealthyThreshold: hc.unhealthyThreshold,
      ...(hc.matcher !== undefined && { matcher: hc.matcher }),
    },
    deregistrationDelaySeconds: Number(a['deregistration_delay.timeout_seconds'] ?? 300),
    slowStartSeconds: Number(a['slow_start.duration_seconds'] ?? 0),
    stickiness: {
      enabled: a['stickiness.enabled'] === 'true',
      type: stickinessType,
      durationSeconds: Number(a[durationKey] ?? 86400),
      ...(stickinessType === 'app_cookie' && { cookieName: a['stickiness.app_cookie.cookie_name'] ?? '' }),
    },
    algorithm: a['load_balancing.algorithm.type'] === 'least_outstanding_requests' ? 'least_outstanding_requests' : 'round_robin',
    targets: tg.targets.map((t) => ({ id: t.id, address: t.address, port: t.port, draining: t.drainUntil !== undefined })),
  };
}

/** The load balancers whose listeners or rules forward to the target group. */
export function loadBalancersOfGroup(records: Pick<ElbRecords, 'listeners' | 'rules'>, targetGroupArn: string): string[] {
  const lbs = new Set<string>();
  for (const l of records.listeners) if (forwardedGroups(l.defaultActions).includes(targetGroupArn)) lbs.add(l.loadBalancerArn);
  for (const r of records.rules) {
    if (!forwardedGroups(r.actions).includes(targetGroupArn)) continue;
    const listener = records.listeners.find((l) => l.arn === r.listenerArn);
    if (listener) lbs.add(listener.loadBalancerArn);
  }
  return [...lbs].sort();
}

export type { ObservedTargetHealth };
