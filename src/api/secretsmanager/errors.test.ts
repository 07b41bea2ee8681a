import { describe, expect, it } from 'vitest';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { SECRETS_MANAGER_ERROR_TABLE } from './errors.js';

describe("Secrets Manager's error table", () => {
  it('names exceptions of the Secrets Manager model, or the common ValidationException and AccessDeniedException', () => {
    const model = loadServiceModel('secretsmanager');
    for (const name of Object.values(SECRETS_MANAGER_ERROR_TABLE)) {
      if (name === 'ValidationException' || name === 'AccessDeniedException') continue;
      const shape = model.shapes[name];
      expect(shape && shape.type === 'structure' && shape.exception, name).toBe(true);
    }
  });
});
