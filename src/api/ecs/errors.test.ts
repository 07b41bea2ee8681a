import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { ECS_ERROR_TABLE, ecsErrorName } from './errors.js';

describe('the ECS error table', () => {
  it('names only exceptions the ECS model defines', () => {
    const shapes = loadServiceModel('ecs').shapes;
    for (const name of new Set(Object.values(ECS_ERROR_TABLE))) {
      const shape = shapes[name] as { exception?: boolean } | undefined;
      expect(shape?.exception, name).toBe(true);
    }
  });

  it('prefers the kind and subject entry, then the kind, then ClientException', () => {
    expect(ecsErrorName(new DomainError('NotFound', 'x', 'cluster'))).toBe('ClusterNotFoundException');
    expect(ecsErrorName(new DomainError('NotFound', 'x', 'something-else'))).toBe('ClientException');
    expect(ecsErrorName(new DomainError('FailedPrecondition', 'x', 'cluster-has-tasks'))).toBe('ClusterContainsTasksException');
    expect(ecsErrorName(new DomainError('LimitExceeded', 'x'))).toBe('LimitExceededException');
  });
});
