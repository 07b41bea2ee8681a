import { describe, expect, it } from 'vitest';
import { defaultHealthCheck } from './health-check.js';
import type { TargetGroupRecord } from './records.js';
import { targetHealthOf } from './target-health.js';

const group = { healthCheck: defaultHealthCheck('HTTP', 'HTTP1') } as TargetGroupRecord;
const target = { id: '10.0.0.1', port: 80, address: '10.0.0.1' };
const since = new Date(0);

describe('target health', () => {
  it('combines the record with what the data plane observed, as ELB reports it', () => {
    expect(targetHealthOf(group, { ...target, drainUntil: 1 }, true, [{ id: '10.0.0.1', port: 80, state: 'healthy', since }])).toEqual({ state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' });
    expect(targetHealthOf(group, target, false, [])).toEqual({ state: 'unused', reason: 'Target.NotInUse', description: 'Target group is not configured to receive traffic from the load balancer' });
    expect(targetHealthOf({ healthCheck: { ...group.healthCheck, enabled: false } } as TargetGroupRecord, target, true, [])).toEqual({ state: 'unavailable', reason: 'Target.HealthCheckDisabled', description: 'Health checks are disabled' });
    expect(targetHealthOf(group, target, true, [])).toEqual({ state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' });
    expect(targetHealthOf(group, target, true, [{ id: '10.0.0.1', port: 80, state: 'initial', since }])).toMatchObject({ state: 'initial', reason: 'Elb.InitialHealthChecking' });
    // Another port of the same address is another target.
    expect(targetHealthOf(group, target, true, [{ id: '10.0.0.1', port: 81, state: 'healthy', since }]).state).toBe('initial');
    expect(targetHealthOf(group, target, true, [{ id: '10.0.0.1', port: 80, state: 'healthy', since }])).toEqual({ state: 'healthy' });
    expect(targetHealthOf(group, target, true, [{ id: '10.0.0.1', port: 80, state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out', since }])).toEqual({ state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' });
  });
});
