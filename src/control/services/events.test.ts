import { describe, expect, it } from 'vitest';
import { placementDetail } from './events.js';

describe('placementDetail', () => {
  const arn = 'arn:aws:ecs:us-east-1:000000000000:container-instance/c/4f1c2e8b9a0d4c3e8f7a6b5c4d3e2f10';

  it('names the closest instance by id, as ECS does', () => {
    expect(placementDetail({ reason: 'RESOURCE:MEMORY', arn })).toBe('The closest matching container-instance 4f1c2e8b9a0d4c3e8f7a6b5c4d3e2f10 has insufficient memory available.');
    expect(placementDetail({ reason: 'MemberOf placement constraint unsatisfied.', arn })).toBe(
      'The closest matching container-instance 4f1c2e8b9a0d4c3e8f7a6b5c4d3e2f10 encountered error "MemberOf placement constraint unsatisfied.".',
    );
  });

  it('gives the reason when there is no instance at all', () => {
    expect(placementDetail({ reason: 'No Container Instances were found in your capacity provider.' })).toBe(
      'Reason: No Container Instances were found in your capacity provider.',
    );
    expect(placementDetail(undefined)).toBe('Reason: No Container Instances were found in your cluster.');
  });
});
