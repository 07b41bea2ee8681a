import { ELBV2, type AwsClient } from './client.js';

export interface TargetHealth {
  id: string;
  port: string;
  state: string;
  reason: string;
  description: string;
}

/** A target group's targets and their health (`aws elbv2 describe-target-health`). */
export async function describeTargetHealth(aws: AwsClient, targetGroupArn: string): Promise<TargetHealth[]> {
  const doc = await aws.query(ELBV2, 'DescribeTargetHealth', { TargetGroupArn: targetGroupArn });
  return [...doc.querySelectorAll('TargetHealthDescriptions > member')].map((m) => ({
    id: m.querySelector('Target > Id')?.textContent ?? '',
    port: m.querySelector('Target > Port')?.textContent ?? '',
    state: m.querySelector('TargetHealth > State')?.textContent ?? '',
    reason: m.querySelector('TargetHealth > Reason')?.textContent ?? '',
    description: m.querySelector('TargetHealth > Description')?.textContent ?? '',
  }));
}
