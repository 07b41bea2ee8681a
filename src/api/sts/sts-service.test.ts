import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIamDomain } from '../../iam/iam-domain.js';
import { isDomainError } from '../../lib/errors.js';
import { ValueCipher } from '../../secrets/crypto/value-cipher.js';
import { MemoryStore } from '../../store/memory-store.js';
import { stsErrorName } from './errors.js';
import { stsService } from './sts-service.js';

const ACCOUNT = '000000000000';
const scope = { accountId: ACCOUNT, region: 'us-east-1', principalArn: `arn:aws:iam::${ACCOUNT}:root`, now: new Date('2026-01-01T00:00:00Z') };
const ctx = { scope, requestId: 'r' };
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/app`;

async function service() {
  const iam = createIamDomain(new MemoryStore(), new ValueCipher(randomBytes(32)));
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] };
  await iam.roles.create(scope, { name: 'app', assumeRolePolicyDocument: JSON.stringify(trust) });
  return stsService(iam.tokens).handlers;
}

/** The wire name and message of the error a handler call fails with. */
async function refusal(call: Promise<unknown>, operation: string): Promise<{ name: string; message: string }> {
  const err: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isDomainError(err)) throw new Error(`expected a domain error, got ${String(err)}`);
  return { name: stsErrorName(err, operation), message: err.message };
}

describe('STS members this endpoint does not act on', () => {
  it('refuses an MFA serial number or code on AssumeRole and GetSessionToken with ValidationError', async () => {
    const handlers = await service();
    for (const mfa of [{ SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/alice` }, { TokenCode: '123456' }]) {
      const member = Object.keys(mfa)[0];
      const expected = { name: 'ValidationError', message: `The parameter ${member} is not supported by this endpoint: it has no MFA devices.` };
      expect(await refusal(handlers.AssumeRole!({ RoleArn: ROLE_ARN, RoleSessionName: 's', ...mfa }, ctx), 'AssumeRole')).toEqual(expected);
      expect(await refusal(handlers.GetSessionToken!({ ...mfa }, ctx), 'GetSessionToken')).toEqual(expected);
    }
    // Without them, the same calls are answered.
    await expect(handlers.AssumeRole!({ RoleArn: ROLE_ARN, RoleSessionName: 's' }, ctx)).resolves.toHaveProperty('Credentials');
    await expect(handlers.GetSessionToken!({}, ctx)).resolves.toHaveProperty('Credentials');
  });

  it('refuses SourceIdentity, TransitiveTagKeys and ProvidedContexts on AssumeRole with ValidationError', async () => {
    const handlers = await service();
    const cases = [
      { member: 'SourceIdentity', value: 'alice', why: 'its sessions keep no source identity' },
      { member: 'TransitiveTagKeys', value: ['team'], why: 'session tags are not carried into chained role sessions' },
      { member: 'ProvidedContexts', value: [{ ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: 'x' }], why: 'it has no trusted identity propagation' },
    ];
    for (const { member, value, why } of cases) {
      const input = { RoleArn: ROLE_ARN, RoleSessionName: 's', Tags: [{ Key: 'team', Value: 'a' }], [member]: value };
      expect(await refusal(handlers.AssumeRole!(input, ctx), 'AssumeRole')).toEqual({
        name: 'ValidationError',
        message: `The parameter ${member} is not supported by this endpoint: ${why}.`,
      });
    }
  });
});
