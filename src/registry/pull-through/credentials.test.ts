import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../lib/errors.js';
import { parseUpstreamSecret, UpstreamClients } from './credentials.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:ecr-pullthroughcache/hub-AbCdEf';

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return isDomainError(err) ? `${err.kind}/${err.subject}` : String(err);
  }
  return 'no error';
}

describe('upstream credentials from a secret', () => {
  it("reads ECR's {username, accessToken}, and password in place of accessToken", () => {
    expect(parseUpstreamSecret('{"username":"u","accessToken":"t"}', ARN)).toEqual({ username: 'u', password: 't' });
    expect(parseUpstreamSecret('{"username":"u","password":"p"}', ARN)).toEqual({ username: 'u', password: 'p' });
  });

  it('refuses anything else as DENIED for the upstream', () => {
    for (const text of ['not json', '{"username":"u"}', '{"accessToken":"t"}', '{"username":"","accessToken":"t"}', '[1]', 'null']) {
      expect(failure(() => parseUpstreamSecret(text, ARN)), text).toBe('AccessDenied/upstream-denied');
    }
  });

  it('keeps one client per upstream and credential', () => {
    const clients = new UpstreamClients();
    const a = clients.for({ upstreamRegistryUrl: 'http://127.0.0.1:1' });
    expect(clients.for({ upstreamRegistryUrl: 'http://127.0.0.1:1' })).toBe(a);
    expect(clients.for({ upstreamRegistryUrl: 'http://127.0.0.1:1', credentialArn: ARN })).not.toBe(a);
  });
});
