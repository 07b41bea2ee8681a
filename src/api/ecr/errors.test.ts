import { describe, expect, it } from 'vitest';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { ECR_COMMON_ERRORS, ECR_ERROR_TABLE, ecrErrorName } from './errors.js';

const model = loadServiceModel('ecr');

describe('the ECR error table', () => {
  it('names only exceptions the ECR model defines, or the common errors AWS documents for every action', () => {
    for (const name of new Set(Object.values(ECR_ERROR_TABLE).filter((n) => !ECR_COMMON_ERRORS.includes(n)))) {
      const shape = model.shapes[name];
      expect({ name, exception: shape?.type === 'structure' && shape.exception === true }).toEqual({ name, exception: true });
    }
  });

  it('covers every domain error kind', () => {
    for (const kind of Object.values(ErrorKind)) expect(ECR_ERROR_TABLE[kind], kind).toBeDefined();
  });

  it('prefers operation-specific entries, then kind/subject, then kind', () => {
    const mismatch = new DomainError(ErrorKind.InvalidArgument, 'x', 'digest-mismatch');
    expect(ecrErrorName(mismatch, 'PutImage')).toBe('ImageDigestDoesNotMatchException');
    expect(ecrErrorName(mismatch, 'CompleteLayerUpload')).toBe('InvalidLayerException');
    expect(ecrErrorName(mismatch, 'BatchGetImage')).toBe('InvalidParameterException');
    expect(ecrErrorName(new DomainError(ErrorKind.NotFound, 'x', 'repository'), 'ListImages')).toBe('RepositoryNotFoundException');
    expect(ecrErrorName(new DomainError(ErrorKind.Internal, 'x'), 'ListImages')).toBe('ServerException');
    expect(ecrErrorName(new DomainError(ErrorKind.AccessDenied, 'x', 'foreign-registry'), 'ListImages')).toBe('AccessDeniedException');
    // Other denials (an upstream registry's, for a pull through cache) stay ECR's generic exception.
    expect(ecrErrorName(new DomainError(ErrorKind.AccessDenied, 'x', 'upstream-denied'), 'BatchGetImage')).toBe('InvalidParameterException');
  });
});
