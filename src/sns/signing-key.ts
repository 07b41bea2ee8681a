import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { loadOrCreateKeyFile } from '../lib/key-file.js';

/** The key pair messages are signed with and the certificate endpoints check them against. */
export interface SigningKey {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  /** The certificate's file name at SigningCertURL (changes with the certificate). */
  readonly certificateName: string;
}

/**
 * Loads `<dir>/sns/signing-key.pem` (0600) and its self-signed certificate, making both on first
 * use. The key is made by node:crypto; Node cannot issue an X.509 certificate, so `openssl req`
 * self-signs it. With `sharedDir` (a blob dir's keys, see lib/key-file.ts) both are kept there as
 * `sns-signing-key.pem` and `sns-signing-cert.pem`, so every replica signs alike and serves the
 * same certificate; the data dir's pair, if any, is published there.
 */
export function loadOrCreateSigningKey(dataDir: string, sharedDir?: string): SigningKey {
  const own = { key: join(dataDir, 'sns', 'signing-key.pem'), cert: join(dataDir, 'sns', 'signing-cert.pem') };
  const files = sharedDir === undefined ? own : { key: join(sharedDir, 'sns-signing-key.pem'), cert: join(sharedDir, 'sns-signing-cert.pem') };
  const seeded = sharedDir !== undefined;
  const privateKeyPem = loadOrCreateKeyFile({
    file: files.key,
    create: () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ...(seeded && { seed: own.key }),
  }).toString('utf8');
  // Made from the key once it is in place: two processes racing make two certificates of one
  // key, and the one linked first is served by both.
  const certificatePem = loadOrCreateKeyFile({
    file: files.cert,
    create: () =>
      execFileSync('openssl', ['req', '-x509', '-new', '-key', files.key, '-subj', '/CN=sns.minato.local', '-days', '3650', '-sha256'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ...(seeded && { seed: own.cert }),
    secret: false,
  }).toString('utf8');
  const digest = createHash('sha256').update(certificatePem).digest('hex').slice(0, 32);
  return { privateKeyPem, certificatePem, certificateName: `SimpleNotificationService-${digest}.pem` };
}
