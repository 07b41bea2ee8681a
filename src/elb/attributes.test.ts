import { describe, expect, it } from 'vitest';
import { applyLoadBalancerAttributes, applyTargetGroupAttributes, loadBalancerAttributeDefaults, targetGroupAttributeDefaults } from './attributes.js';
import { applyHealthCheck, defaultHealthCheck } from './health-check.js';

describe('attributes', () => {
  it('shows AWS defaults by type', () => {
    expect(loadBalancerAttributeDefaults('application')).toMatchObject({ 'idle_timeout.timeout_seconds': '60', 'routing.http2.enabled': 'true', 'load_balancing.cross_zone.enabled': 'true' });
    expect(loadBalancerAttributeDefaults('network')).not.toHaveProperty('idle_timeout.timeout_seconds');
    expect(targetGroupAttributeDefaults('application')).toMatchObject({ 'deregistration_delay.timeout_seconds': '300', 'stickiness.type': 'lb_cookie', 'load_balancing.algorithm.type': 'round_robin', 'slow_start.duration_seconds': '0' });
    expect(targetGroupAttributeDefaults('network')).toMatchObject({ 'stickiness.type': 'source_ip', 'proxy_protocol_v2.enabled': 'false' });
  });

  it('takes the honoured keys within AWS ranges and nothing else', () => {
    const tg = targetGroupAttributeDefaults('application');
    expect(applyTargetGroupAttributes('application', tg, [{ Key: 'deregistration_delay.timeout_seconds', Value: '3600' }])['deregistration_delay.timeout_seconds']).toBe('3600');
    for (const [Key, Value] of [['deregistration_delay.timeout_seconds', '3601'], ['slow_start.duration_seconds', '29'], ['stickiness.lb_cookie.duration_seconds', '0'], ['load_balancing.algorithm.type', 'weighted_random'], ['load_balancing.algorithm.anomaly_mitigation', 'on'], ['stickiness.enabled', 'yes']]) {
      expect(() => applyTargetGroupAttributes('application', tg, [{ Key, Value }])).toThrow(expect.objectContaining({ subject: 'configuration' }));
    }
    // Keys of the other family, and unknown keys, are not recognised.
    expect(() => applyTargetGroupAttributes('application', tg, [{ Key: 'proxy_protocol_v2.enabled', Value: 'false' }])).toThrow(expect.objectContaining({ subject: 'validation' }));
    expect(() => applyTargetGroupAttributes('network', targetGroupAttributeDefaults('network'), [{ Key: 'proxy_protocol_v2.enabled', Value: 'true' }])).toThrow(/minato does not provide/);
    expect(() => applyTargetGroupAttributes('application', tg, [{ Key: 'stickiness.type', Value: 'source_ip' }])).toThrow(expect.objectContaining({ subject: 'validation' }));
    expect(() => applyTargetGroupAttributes('application', tg, [{ Key: 'stickiness.type', Value: 'app_cookie' }, { Key: 'stickiness.enabled', Value: 'true' }])).toThrow(/cookie_name/);
    const lb = loadBalancerAttributeDefaults('application');
    expect(() => applyLoadBalancerAttributes('application', lb, [{ Key: 'idle_timeout.timeout_seconds', Value: '4001' }])).toThrow();
    expect(applyLoadBalancerAttributes('application', lb, [{ Key: 'access_logs.s3.enabled', Value: 'false' }])).toEqual(lb);
  });
});

describe('health checks', () => {
  it('defaults as AWS and checks timeout against interval, ports and matchers', () => {
    expect(defaultHealthCheck('TCP', undefined)).toEqual({ enabled: true, protocol: 'TCP', port: 'traffic-port', intervalSeconds: 30, timeoutSeconds: 10, healthyThreshold: 5, unhealthyThreshold: 2 });
    const http = defaultHealthCheck('HTTP', 'HTTP1');
    expect(applyHealthCheck(http, { port: '9000', matcher: { HttpCode: '200,301-302' } }, 'HTTP')).toMatchObject({ port: '9000', matcher: '200,301-302' });
    expect(() => applyHealthCheck(http, { intervalSeconds: 5 }, 'HTTP')).toThrow(/greater than the timeout/);
    expect(() => applyHealthCheck(http, { port: '70000' }, 'HTTP')).toThrow();
    expect(() => applyHealthCheck(http, { matcher: { HttpCode: 'ok' } }, 'HTTP')).toThrow();
    expect(() => applyHealthCheck(http, { protocol: 'TCP' }, 'HTTP')).toThrow();
    expect(() => applyHealthCheck(defaultHealthCheck('TCP', undefined), { path: '/x' }, 'TCP')).toThrow();
    expect(applyHealthCheck(defaultHealthCheck('TCP', undefined), { protocol: 'HTTP', path: '/health' }, 'TCP')).toMatchObject({ protocol: 'HTTP', path: '/health', matcher: '200' });
  });
});
