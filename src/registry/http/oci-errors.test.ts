import { describe, expect, it } from 'vitest';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import { RegistrySubject } from '../errors.js';
import { OCI_CODES_NOT_PRODUCED, OCI_ERROR_TABLE, OciCode, ociMapping, toOciError } from './oci-errors.js';

describe('the OCI error table', () => {
  it('uses every OCI error code, or documents why not', () => {
    const used = new Set(Object.values(OCI_ERROR_TABLE).map((m) => m.code));
    for (const code of Object.values(OciCode)) {
      expect({ code, accounted: used.has(code) || OCI_CODES_NOT_PRODUCED[code] !== undefined }).toEqual({ code, accounted: true });
    }
  });

  it('covers every domain error kind, and only keys of real kinds and subjects', () => {
    const kinds = new Set<string>(Object.values(ErrorKind));
    const subjects = new Set<string>([...Object.values(RegistrySubject), 'unauthenticated']);
    for (const kind of kinds) expect(OCI_ERROR_TABLE[kind], kind).toBeDefined();
    for (const key of Object.keys(OCI_ERROR_TABLE)) {
      const [kind, subject] = key.split('/');
      expect(kinds.has(kind!), key).toBe(true);
      if (subject !== undefined) expect(subjects.has(subject), key).toBe(true);
    }
  });

  it('sends the statuses the distribution spec expects', () => {
    const status = (kind: ErrorKind, subject?: string) => ociMapping(new DomainError(kind, 'x', subject)).status;
    expect(status(ErrorKind.NotFound, 'repository')).toBe(404);
    expect(status(ErrorKind.NotFound, 'manifest')).toBe(404);
    expect(status(ErrorKind.NotFound, 'blob')).toBe(404);
    expect(status(ErrorKind.NotFound, 'upload')).toBe(404);
    expect(status(ErrorKind.FailedPrecondition, 'upload-range')).toBe(416);
    expect(status(ErrorKind.LimitExceeded, 'manifest-too-large')).toBe(413);
    expect(status(ErrorKind.AccessDenied, 'unauthenticated')).toBe(401);
    expect(status(ErrorKind.AccessDenied)).toBe(403);
    expect(status(ErrorKind.LimitExceeded)).toBe(429);
  });

  it('tells an upstream failure of the pull through cache from the client\'s own faults', () => {
    const mapped = (kind: ErrorKind, subject: string) => {
      const m = ociMapping(new DomainError(kind, 'x', subject));
      return `${m.code} ${m.status}`;
    };
    expect(mapped(ErrorKind.Unavailable, 'upstream')).toBe('UNKNOWN 502');
    expect(mapped(ErrorKind.AccessDenied, 'upstream-denied')).toBe('DENIED 403');
    expect(mapped(ErrorKind.LimitExceeded, 'upstream-throttled')).toBe('TOOMANYREQUESTS 429');
  });

  it('writes the OCI error body, and hides unexpected failures behind UNKNOWN 500', () => {
    const shown = toOciError(new DomainError(ErrorKind.NotFound, 'blob sha256:x unknown', 'blob', { digest: 'sha256:x' }));
    expect(shown.status).toBe(404);
    expect(JSON.parse(shown.body)).toEqual({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob sha256:x unknown', detail: { digest: 'sha256:x' } }] });
    const hidden = toOciError(new Error('disk on fire at /secret/path'));
    expect(hidden.status).toBe(500);
    expect(hidden.body).not.toContain('secret');
    expect(hidden.expected).toBe(false);
    const framework = toOciError(Object.assign(new Error('bad header'), { statusCode: 400 }));
    expect([framework.status, framework.code, framework.expected]).toEqual([400, 'UNSUPPORTED', true]);
  });
});
