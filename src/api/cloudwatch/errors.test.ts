import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { CLOUDWATCH_ERROR_TABLE, cloudWatchErrorName } from './errors.js';

describe('the CloudWatch error table', () => {
  it('names only exceptions the CloudWatch model defines', () => {
    const shapes = loadServiceModel('cloudwatch').shapes;
    for (const name of new Set(Object.values(CLOUDWATCH_ERROR_TABLE))) {
      const shape = shapes[name] as { exception?: boolean } | undefined;
      expect(shape?.exception, name).toBe(true);
    }
  });

  it('tells combinations, missing parameters and tokens from other invalid values', () => {
    expect(cloudWatchErrorName(new DomainError('InvalidArgument', 'x', 'combination'))).toBe('InvalidParameterCombinationException');
    expect(cloudWatchErrorName(new DomainError('InvalidArgument', 'x', 'missing'))).toBe('MissingRequiredParameterException');
    expect(cloudWatchErrorName(new DomainError('InvalidArgument', 'x', 'next-token'))).toBe('InvalidNextToken');
    expect(cloudWatchErrorName(new DomainError('InvalidArgument', 'x', 'parameter'))).toBe('InvalidParameterValueException');
  });
});
