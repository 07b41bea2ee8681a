import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVALID_ASM_ARN, parseSecretReference, SecretReferenceError } from './secret-reference.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db/creds-AbCdEf';

describe('parseSecretReference', () => {
  it('reads a Secrets Manager ARN, whole or with json-key:version-stage:version-id', () => {
    expect(parseSecretReference(ARN)).toEqual({ kind: 'secretsmanager', secretId: ARN, region: 'us-east-1', accountId: '123456789012' });
    expect(parseSecretReference(`${ARN}:password::`)).toEqual({
      kind: 'secretsmanager',
      secretId: ARN,
      region: 'us-east-1',
      accountId: '123456789012',
      jsonKey: 'password',
    });
    expect(parseSecretReference(`${ARN}::AWSPREVIOUS:`)).toMatchObject({ versionStage: 'AWSPREVIOUS' });
    expect(parseSecretReference(`${ARN}:k::0123456789abcdef0123456789abcdef`)).toMatchObject({
      jsonKey: 'k',
      versionId: '0123456789abcdef0123456789abcdef',
    });
  });

  it('refuses a Secrets Manager ARN with another number of parts, in the agent words', () => {
    expect(() => parseSecretReference(`${ARN}:password`)).toThrow(INVALID_ASM_ARN);
    expect(() => parseSecretReference(`${ARN}:a:b:c:d`)).toThrow(SecretReferenceError);
  });

  it('reads SSM parameter names and ARNs', () => {
    expect(parseSecretReference('/app/db/password')).toEqual({ kind: 'ssm', name: '/app/db/password' });
    expect(parseSecretReference('name')).toEqual({ kind: 'ssm', name: 'name' });
    expect(parseSecretReference('arn:aws:ssm:eu-west-1:123456789012:parameter/app/db')).toEqual({
      kind: 'ssm',
      name: '/app/db',
      region: 'eu-west-1',
      accountId: '123456789012',
    });
    expect(() => parseSecretReference('arn:aws:s3:::bucket/key')).toThrow(SecretReferenceError);
  });

  const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
  const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2');
  const account = fc.stringMatching(/^[0-9]{12}$/);

  it('recovers every part of any well-formed Secrets Manager reference', () => {
    fc.assert(
      fc.property(
        region,
        account,
        fc.array(fc.stringMatching(/^[A-Za-z0-9_+=.@-]{1,10}$/), { minLength: 1, maxLength: 3 }),
        fc.stringMatching(/^[A-Za-z0-9]{6}$/),
        fc.option(segment, { nil: undefined }),
        fc.option(fc.constantFrom('AWSCURRENT', 'AWSPREVIOUS', 'blue'), { nil: undefined }),
        fc.option(fc.uuid(), { nil: undefined }),
        (r, a, path, suffix, jsonKey, versionStage, versionId) => {
          const secretId = `arn:aws:secretsmanager:${r}:${a}:secret:${path.join('/')}-${suffix}`;
          const withParts = jsonKey !== undefined || versionStage !== undefined || versionId !== undefined;
          const valueFrom = withParts ? `${secretId}:${jsonKey ?? ''}:${versionStage ?? ''}:${versionId ?? ''}` : secretId;
          expect(parseSecretReference(valueFrom)).toEqual({
            kind: 'secretsmanager',
            secretId,
            region: r,
            accountId: a,
            ...(jsonKey !== undefined && { jsonKey }),
            ...(versionStage !== undefined && { versionStage }),
            ...(versionId !== undefined && { versionId }),
          });
        },
      ),
    );
  });

  it('reads any parameter ARN back to the name its hierarchy gives', () => {
    fc.assert(
      fc.property(region, account, fc.array(segment, { minLength: 1, maxLength: 5 }), (r, a, levels) => {
        const name = `/${levels.join('/')}`;
        expect(parseSecretReference(`arn:aws:ssm:${r}:${a}:parameter${name}`)).toEqual({ kind: 'ssm', name, region: r, accountId: a });
        expect(parseSecretReference(name)).toEqual({ kind: 'ssm', name });
      }),
    );
  });

  it('either parses or refuses with SecretReferenceError, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `arn:aws:secretsmanager:us-east-1:1:${s}`)), (text) => {
        try {
          parseSecretReference(text);
        } catch (err) {
          expect(err).toBeInstanceOf(SecretReferenceError);
        }
      }),
    );
  });
});
