import { describe, expect, it } from 'vitest';
import { createApplicationAutoScaling } from '../../autoscaling/application-autoscaling.js';
import type { Scope } from '../../lib/scope.js';
import { MemoryStore } from '../../store/memory-store.js';
import { applicationAutoScalingHandlers } from './handlers.js';

const scope: Scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date('2026-06-01T00:00:00Z') };
const ctx = { scope, requestId: 'r' };

describe('Application Auto Scaling handlers', () => {
  it('page DescribeScalableTargets by MaxResults and NextToken, and refuse a foreign token', async () => {
    const aas = createApplicationAutoScaling(new MemoryStore(), {
      alarms: { put: async () => 'arn', delete: async () => {} },
      ecs: { describe: async () => ({ desiredCount: 1, runningCount: 1, deploymentInProgress: false }), setDesiredCount: async () => {} },
    });
    const h = applicationAutoScalingHandlers(aas);
    for (const name of ['a', 'b', 'c']) {
      await h.RegisterScalableTarget!({ ServiceNamespace: 'ecs', ResourceId: `service/prod/${name}`, ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 1, MaxCapacity: 2 }, ctx);
    }
    const first = (await h.DescribeScalableTargets!({ ServiceNamespace: 'ecs', MaxResults: 2 }, ctx)) as { ScalableTargets: Array<{ ResourceId: string; CreationTime: number }>; NextToken?: string };
    expect(first.ScalableTargets.map((t) => t.ResourceId)).toEqual(['service/prod/a', 'service/prod/b']);
    expect(first.ScalableTargets[0]!.CreationTime).toBe(scope.now.getTime() / 1000);
    const second = (await h.DescribeScalableTargets!({ ServiceNamespace: 'ecs', MaxResults: 2, NextToken: first.NextToken }, ctx)) as typeof first;
    expect(second.ScalableTargets.map((t) => t.ResourceId)).toEqual(['service/prod/c']);
    expect(second.NextToken).toBeUndefined();
    await expect(h.DescribeScalingPolicies!({ ServiceNamespace: 'ecs', NextToken: first.NextToken }, ctx)).rejects.toMatchObject({ kind: 'InvalidArgument', subject: 'next-token' });
    await expect(h.DescribeScalableTargets!({ ServiceNamespace: 'ecs', MaxResults: 51 }, ctx)).rejects.toMatchObject({ kind: 'InvalidArgument' });
    await expect(h.GetPredictiveScalingForecast!({}, ctx)).rejects.toMatchObject({ kind: 'InvalidArgument' });
  });
});
