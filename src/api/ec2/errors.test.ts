import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import { EC2_ERROR_TABLE, ec2ErrorName } from './errors.js';

describe('the EC2 error table', () => {
  it('names codes as EC2 spells them: a word, and a qualifier after a dot', () => {
    for (const code of Object.values(EC2_ERROR_TABLE)) expect(code).toMatch(/^[A-Z][A-Za-z0-9]+(\.[A-Z][A-Za-z]+)?$/);
  });

  it('tells the subjects apart, and falls back to InvalidParameterValue', () => {
    expect(ec2ErrorName(new DomainError('NotFound', 'x', 'vpc'))).toBe('InvalidVpcID.NotFound');
    expect(ec2ErrorName(new DomainError('NotFound', 'x', 'security-group'))).toBe('InvalidGroup.NotFound');
    expect(ec2ErrorName(new DomainError('Conflict', 'x', 'subnet'))).toBe('InvalidSubnet.Conflict');
    expect(ec2ErrorName(new DomainError('InvalidArgument', 'x', 'subnet-range'))).toBe('InvalidSubnet.Range');
    expect(ec2ErrorName(new DomainError('FailedPrecondition', 'x', 'dependency'))).toBe('DependencyViolation');
    expect(ec2ErrorName(new DomainError('LimitExceeded', 'x', 'vpc'))).toBe('VpcLimitExceeded');
    expect(ec2ErrorName(new DomainError('InvalidArgument', 'x', 'something-else'))).toBe('InvalidParameterValue');
    expect(ec2ErrorName(new DomainError('Internal', 'x'))).toBe('InternalError');
  });
});
