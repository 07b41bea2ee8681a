import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { secretsManagerErrorName } from '../../api/secretsmanager/errors.js';
import type { Scope } from '../../lib/scope.js';
import { MemoryStore } from '../../store/memory-store.js';
import { createSecretsDomain, type SecretsDomain } from '../secrets-domain.js';
import { resolveSecretReference, resolveSecretReferences } from './resolve.js';

const scope: Scope = { accountId: '123456789012', region: 'us-east-1', principalArn: 'arn:aws:iam::123456789012:root', now: new Date() };
const PREFIX = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: ';
const ASM = `${PREFIX}unable to retrieve secret from asm: service call has been retried 1 time(s): `;
const SSM = `${PREFIX}unable to retrieve secrets from ssm: service call has been retried 1 time(s): `;

let domain: SecretsDomain;
let arn: string;
const sources = () => ({ secrets: domain.secrets, parameters: domain.parameters, secretsErrorName: secretsManagerErrorName });
const resolve = (valueFrom: string, where: Scope = scope) => resolveSecretReference(sources(), valueFrom, where);

beforeEach(async () => {
  domain = createSecretsDomain(new MemoryStore(), randomBytes(32));
  arn = (await domain.secrets.create(scope, { name: 'db', value: { kind: 'string', text: '{"password":"s3cret","port":5432}' } })).arn;
  await domain.parameters.put(scope, { name: '/app/db/password', value: 'pw', type: 'SecureString' });
  await domain.parameters.put(scope, { name: 'plain', value: 'a,b', type: 'StringList' });
});

describe('resolveSecretReference', () => {
  it('reads a whole secret, a JSON key (Go-formatted), and a staged version', async () => {
    expect(await resolve(arn)).toBe('{"password":"s3cret","port":5432}');
    expect(await resolve(`${arn}:password::`)).toBe('s3cret');
    expect(await resolve(`${arn}:port::`)).toBe('5432');
    await domain.secrets.putValue(scope, arn, { value: { kind: 'string', text: '{"password":"new"}' } });
    expect(await resolve(`${arn}:password:AWSPREVIOUS:`)).toBe('s3cret');
    expect(await resolve(`${arn}:password::`)).toBe('new');
  });

  it('reads SSM parameters by name or ARN, decrypted', async () => {
    expect(await resolve('/app/db/password')).toBe('pw');
    expect(await resolve('arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password')).toBe('pw');
    // A one-level name's ARN gives "/plain", the same parameter as "plain".
    expect(await resolve('arn:aws:ssm:us-east-1:123456789012:parameter/plain')).toBe('a,b');
  });

  it("fails with ECS's stopped reasons", async () => {
    const missing = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-AbCdEf';
    await expect(resolve(missing)).rejects.toThrow(
      `${ASM}failed to fetch secret ${missing} from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.`,
    );
    await expect(resolve(`${arn}:user::`)).rejects.toThrow(`${ASM}retrieved secret from Secrets Manager did not contain json key user`);
    await expect(resolve(`${arn}::AWSPENDING:`)).rejects.toThrow(
      `${ASM}failed to fetch secret ${arn} from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSPENDING`,
    );
    await expect(resolve('/app/missing')).rejects.toThrow(`${SSM}invalid ssm parameters: /app/missing`);
    // Another account's parameter is not found either.
    await expect(resolve('arn:aws:ssm:us-east-1:999999999999:parameter/app/db/password')).rejects.toThrow(`${SSM}invalid ssm parameters`);
    await domain.secrets.delete(scope, arn, {});
    await expect(resolve(arn)).rejects.toThrow(
      `${ASM}failed to fetch secret ${arn} from secrets manager: InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion.`,
    );
  });

  it('never puts the secret value into an error', async () => {
    const notJson = (await domain.secrets.create(scope, { name: 'raw', value: { kind: 'string', text: 'hunter2' } })).arn;
    const error = await resolve(`${notJson}:k::`).catch((e: Error) => e);
    expect(String(error)).toContain('invalid character');
    expect(String(error)).not.toMatch(/hunter2|'h'/);
  });

  it('names every missing parameter of a task in one SSM failure', async () => {
    await expect(resolveSecretReferences(sources(), ['/a/x', 'plain', '/a/y'], scope)).rejects.toThrow(`${SSM}invalid ssm parameters: /a/x,/a/y`);
    const values = await resolveSecretReferences(sources(), ['plain', arn], scope);
    expect([...values]).toEqual([
      ['plain', 'a,b'],
      [arn, '{"password":"s3cret","port":5432}'],
    ]);
  });
});
