import { describe, expect, it } from 'vitest';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import { ParameterSubject } from '../../secrets/parameters/errors.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { ssmErrorName, SSM_ERROR_TABLE } from './errors.js';

describe("SSM's error table", () => {
  it('names only exceptions the SSM model defines', () => {
    const model = loadServiceModel('ssm');
    for (const name of Object.values(SSM_ERROR_TABLE)) {
      const shape = model.shapes[name];
      expect(shape && shape.type === 'structure' && shape.exception, name).toBe(true);
    }
  });

  it('maps every subject of the parameter domain to its own exception', () => {
    const names = Object.values(ParameterSubject).map((subject) => {
      const kinds = Object.values(ErrorKind).filter((k) => SSM_ERROR_TABLE[`${k}/${subject}`]);
      expect(kinds, subject).toHaveLength(1);
      return ssmErrorName(new DomainError(kinds[0]!, 'm', subject));
    });
    expect(names).toContain('ParameterVersionLabelLimitExceeded');
  });
});
