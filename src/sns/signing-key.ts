import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
 * self-signs it.
 */
export function loadOrCreateSigningKey(dataDir: string): SigningKey {
  const dir = join(dataDir, 'sns');
  const keyFile = join(dir, 'signing-key.pem');
  const certFile = join(dir, 'signing-cert.pem');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(`${keyFile}.tmp`, pem, { mode: 0o600 });
    const cert = execFileSync('openssl', ['req', '-x509', '-new', '-key', `${keyFile}.tmp`, '-subj', '/CN=sns.minato.local', '-days', '3650', '-sha256'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    writeFileSync(`${certFile}.tmp`, cert, { mode: 0o644 });
    // The certificate first: a key without it is made again, never the reverse.
    renameSync(`${certFile}.tmp`, certFile);
    renameSync(`${keyFile}.tmp`, keyFile);
  }
  chmodSync(keyFile, 0o600);
  const certificatePem = readFileSync(certFile, 'utf8');
  const digest = createHash('sha256').update(certificatePem).digest('hex').slice(0, 32);
  return { privateKeyPem: readFileSync(keyFile, 'utf8'), certificatePem, certificateName: `SimpleNotificationService-${digest}.pem` };
}
