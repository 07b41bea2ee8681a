import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { APPLICATION_AUTOSCALING_ERROR_TABLE, applicationAutoScalingErrorName } from './errors.js';

describe('the Application Auto Scaling error table', () => {
  it('names only exceptions the model defines', () => {
    const shapes = loadServiceModel('application-autoscaling').shapes;
    for (const name of new Set(Object.values(APPLICATION_AUTOSCALING_ERROR_TABLE))) {
      expect((shapes[name] as { exception?: boolean } | undefined)?.exception, name).toBe(true);
    }
  });

  it('tells missing objects, tagged resources, tokens and the alarms side apart', () => {
    expect(applicationAutoScalingErrorName(new DomainError('NotFound', 'x', 'object'))).toBe('ObjectNotFoundException');
    expect(applicationAutoScalingErrorName(new DomainError('NotFound', 'x', 'tag-resource'))).toBe('ResourceNotFoundException');
    expect(applicationAutoScalingErrorName(new DomainError('InvalidArgument', 'x', 'next-token'))).toBe('InvalidNextTokenException');
    expect(applicationAutoScalingErrorName(new DomainError('Unavailable', 'x', 'alarms'))).toBe('FailedResourceAccessException');
    expect(applicationAutoScalingErrorName(new DomainError('LimitExceeded', 'x', 'tags'), 'TagResource')).toBe('TooManyTagsException');
    expect(applicationAutoScalingErrorName(new DomainError('LimitExceeded', 'x', 'tags'), 'RegisterScalableTarget')).toBe('ValidationException');
    expect(applicationAutoScalingErrorName(new DomainError('Conflict', 'x'))).toBe('ConcurrentUpdateException');
  });
});
