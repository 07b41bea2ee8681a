import type { DomainError } from '../../lib/errors.js';
import { secretsManagerExceptionName } from '../../secrets/secrets-manager/errors.js';

/**
 * Secrets Manager's error table lives with its domain (secrets/secrets-manager/errors.ts), since ECS
 * quotes the same names in stopped reasons; the dispatcher falls back to the generic exception when
 * an operation does not list a name.
 */
export function secretsManagerErrorName(err: DomainError): string {
  return secretsManagerExceptionName(err);
}
