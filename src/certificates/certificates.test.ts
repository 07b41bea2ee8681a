import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValueCipher } from '../secrets/crypto/value-cipher.js';
import type { Scope } from '../lib/scope.js';
import { MemoryStore } from '../store/memory-store.js';
import { Certificates } from './certificates.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-certs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function make(domain: string, key: string[] = ['-newkey', 'rsa:2048']) {
  const keyFile = join(dir, `${domain}.key`);
  const certFile = join(dir, `${domain}.crt`);
  execFileSync('openssl', ['req', '-x509', ...key, '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${domain}`], { stdio: 'ignore' });
  return { certificatePem: readFileSync(certFile, 'utf8'), privateKeyPem: readFileSync(keyFile, 'utf8') };
}

const scope = (now = new Date()): Scope => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now });
const rsa = make('a.example.com');
const rsa2 = make('a.example.com');
const ec = make('b.example.com', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1']);

describe('imported certificates', () => {
  it('stores the private key sealed, and opens it for the data plane only', async () => {
    const store = new MemoryStore();
    const certs = new Certificates(store, new ValueCipher(randomBytes(32)));
    const arn = await certs.import(scope(), { ...rsa, tags: [{ Key: 'k', Value: 'v' }] });
    const stored = JSON.stringify(await store.collection('acm.certificates').list());
    const keyBody = rsa.privateKeyPem.split('\n')[1]!;
    expect(stored).not.toContain(keyBody);
    expect(await certs.material(arn)).toEqual({ certificatePem: rsa.certificatePem, privateKeyPem: rsa.privateKeyPem });
    expect(await certs.describe(scope(), arn)).toMatchObject({ domainName: 'a.example.com', subjectAlternativeNames: ['a.example.com'], keyAlgorithm: 'RSA_2048', status: 'ISSUED', subject: 'CN=a.example.com' });
    // A day after the certificate ends, it is EXPIRED.
    expect((await certs.describe(scope(new Date(Date.now() + 3 * 86400_000)), arn)).status).toBe('EXPIRED');

    // Reimport: new material under the same ARN, tags kept; another domain is refused.
    expect(await certs.import(scope(), { ...rsa2, arn })).toBe(arn);
    expect((await certs.material(arn))!.privateKeyPem).toBe(rsa2.privateKeyPem);
    expect((await certs.describe(scope(), arn)).tags).toEqual([{ Key: 'k', Value: 'v' }]);
    await expect(certs.import(scope(), { ...ec, arn })).rejects.toThrow(/same domain name/);
  });

  it('keeps a certificate chain with the certificate, and refuses one that is not PEM', async () => {
    const certs = new Certificates(new MemoryStore(), new ValueCipher(randomBytes(32)));
    const arn = await certs.import(scope(), { ...rsa, chainPem: rsa2.certificatePem + ec.certificatePem });
    expect((await certs.material(arn))!.chainPem).toBe(rsa2.certificatePem + ec.certificatePem);
    await expect(certs.import(scope(), { ...rsa, chainPem: 'not a chain' })).rejects.toThrow(/chain/);
  });

  it('refuses a key that does not match, an encrypted key, and what is not PEM', async () => {
    const certs = new Certificates(new MemoryStore(), new ValueCipher(randomBytes(32)));
    await expect(certs.import(scope(), { certificatePem: rsa.certificatePem, privateKeyPem: ec.privateKeyPem })).rejects.toThrow(/does not match/);
    await expect(certs.import(scope(), { certificatePem: 'nope', privateKeyPem: rsa.privateKeyPem })).rejects.toThrow(/PEM/);
    await expect(certs.import(scope(), { certificatePem: rsa.certificatePem + rsa2.certificatePem, privateKeyPem: rsa.privateKeyPem })).rejects.toThrow(/more than one/);
    await expect(certs.import(scope(), { certificatePem: rsa.certificatePem, privateKeyPem: '-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED PRIVATE KEY-----' })).rejects.toThrow(/encrypted/);
    const messages: string[] = [];
    await certs.import(scope(), { certificatePem: rsa.certificatePem, privateKeyPem: 'garbage' }).catch((err: Error) => messages.push(err.message));
    expect(messages.join()).not.toContain('garbage');
  });

  it('lists RSA certificates by default, others when asked, and refuses to delete one in use', async () => {
    const users = new Map<string, string[]>();
    const certs = new Certificates(new MemoryStore(), new ValueCipher(randomBytes(32)), (arn) => Promise.resolve(users.get(arn) ?? []));
    const a = await certs.import(scope(), rsa);
    const b = await certs.import(scope(), ec);
    expect((await certs.list(scope(), {})).items.map((c) => c.arn)).toEqual([a]);
    expect((await certs.list(scope(), { keyTypes: ['EC_secp384r1', 'RSA_2048'] })).items.map((c) => c.arn).sort()).toEqual([a, b].sort());
    const page = await certs.list(scope(), { keyTypes: ['EC_secp384r1', 'RSA_2048'], maxItems: 1 });
    expect(page.items).toHaveLength(1);
    expect((await certs.list(scope(), { keyTypes: ['EC_secp384r1', 'RSA_2048'], nextToken: page.nextToken! })).items).toHaveLength(1);
    users.set(a, ['arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/0000000000000001']);
    await expect(certs.delete(scope(), a)).rejects.toMatchObject({ subject: 'in-use' });
    await certs.delete(scope(), b);
    await expect(certs.describe(scope(), b)).rejects.toMatchObject({ kind: 'NotFound' });
    await expect(certs.describe(scope(), 'arn:aws:acm:us-east-1:000000000000:nope')).rejects.toMatchObject({ subject: 'arn' });
    // Another region's certificate is not this one's.
    await expect(certs.describe({ ...scope(), region: 'eu-west-1' }, a)).rejects.toMatchObject({ kind: 'NotFound' });
    expect(await certs.exists(scope(), a)).toBe(true);
  });

  it('keeps tags: added by key (a new value replaces the old), removed by key or by key and value, at most 50', async () => {
    const certs = new Certificates(new MemoryStore(), new ValueCipher(randomBytes(32)));
    const arn = await certs.import(scope(), { ...rsa, tags: [{ Key: 'owner', Value: 'a' }] });
    await certs.addTags(scope(), arn, [{ Key: 'owner', Value: 'b' }, { Key: 'use', Value: 'web' }, { Key: 'flag' }]);
    expect(await certs.listTags(scope(), arn)).toEqual([{ Key: 'owner', Value: 'b' }, { Key: 'use', Value: 'web' }, { Key: 'flag' }]);
    await certs.removeTags(scope(), arn, [{ Key: 'use', Value: 'other' }, { Key: 'flag' }]);
    expect(await certs.listTags(scope(), arn)).toEqual([{ Key: 'owner', Value: 'b' }, { Key: 'use', Value: 'web' }]);
    const many = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expect(certs.addTags(scope(), arn, many)).rejects.toMatchObject({ kind: 'LimitExceeded' });
    await expect(certs.listTags(scope(), arn.replace(/.{4}$/, '0000'))).rejects.toMatchObject({ kind: 'NotFound' });
  });
});
