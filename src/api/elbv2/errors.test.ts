import { describe, expect, it } from 'vitest';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { DomainError } from '../../lib/errors.js';
import { ACM_ERROR_TABLE } from '../acm/acm-service.js';
import { ELBV2_ERROR_TABLE, elbv2ErrorName } from './errors.js';

// ELB's ValidationError and the server's InternalFailure are codes of the Query protocol's common errors, not model shapes.
const COMMON = new Set(['ValidationError', 'InternalFailure']);

describe('the ELBv2 and ACM error tables', () => {
  it('name only exceptions their models define', () => {
    for (const [model, table] of [['elbv2', ELBV2_ERROR_TABLE], ['acm', ACM_ERROR_TABLE]] as const) {
      const shapes = loadServiceModel(model).shapes;
      for (const name of new Set(Object.values(table))) {
        if (COMMON.has(name)) continue;
        expect((shapes[name] as { exception?: boolean } | undefined)?.exception, `${model} ${name}`).toBe(true);
      }
    }
  });

  it('tells ELB faults apart by subject', () => {
    expect(elbv2ErrorName(new DomainError('NotFound', 'x', 'load-balancer'))).toBe('LoadBalancerNotFoundException');
    expect(elbv2ErrorName(new DomainError('AlreadyExists', 'x', 'listener'))).toBe('DuplicateListenerException');
    expect(elbv2ErrorName(new DomainError('Conflict', 'x', 'priority'))).toBe('PriorityInUseException');
    expect(elbv2ErrorName(new DomainError('InvalidArgument', 'x', 'validation'))).toBe('ValidationError');
    expect(elbv2ErrorName(new DomainError('InvalidArgument', 'x', 'parameter'))).toBe('ValidationError');
  });
});
