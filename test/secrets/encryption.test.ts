import {
  CreateSecretCommand,
  DecryptionFailure,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, InvalidKeyId, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import Database from 'better-sqlite3';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { secretsManagerService } from '../../src/api/secretsmanager/secretsmanager-service.js';
import { ssmService } from '../../src/api/ssm/ssm-service.js';
import { loadOrCreateMasterKey, MASTER_KEY_FILE, MasterKeyError } from '../../src/secrets/crypto/master-key.js';
import { createSecretsDomain } from '../../src/secrets/secrets-domain.js';
import { buildFrontDoor, DEFAULT_BODY_LIMIT } from '../../src/server/http-server.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A platform slice over a data dir that survives restarts, with every log line kept. */
async function start(dataDir: string) {
  const logs: string[] = [];
  const logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  );
  // The key first: a refused key must not leave a store open.
  const masterKey = loadOrCreateMasterKey(dataDir);
  const store = new SqliteStore(join(dataDir, 'minato.db'));
  const domain = createSecretsDomain(store, masterKey);
  const app = buildFrontDoor({
    accountId: '000000000000',
    credentials: new Map([['test', 'test']]),
    services: [secretsManagerService(domain), ssmService(domain)],
    logger,
    bodyLimit: DEFAULT_BODY_LIMIT,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const sm = new SecretsManagerClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const ssm = new SSMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  return {
    sm,
    ssm,
    logs,
    async stop() {
      sm.destroy();
      ssm.destroy();
      await app.close();
      await store.close();
    },
  };
}

/** Every byte the data dir holds on disk (the database, its WAL and shared memory, the key). */
function diskBytes(dataDir: string): Buffer {
  return Buffer.concat(readdirSync(dataDir).map((f) => readFileSync(join(dataDir, f))));
}

/** Whether `bytes` contain `text` in any encoding a careless store could use. */
function contains(bytes: Buffer, text: string | Buffer): boolean {
  const raw = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return [raw, Buffer.from(raw.toString('base64')), Buffer.from(raw.toString('hex')), Buffer.from(raw.toString('latin1'), 'utf16le')].some((form) =>
    bytes.includes(form),
  );
}

/** Rewrites one stored document of the database file, behind the platform's back. */
function tamper(dataDir: string, collection: string, keyLike: string, change: (value: Record<string, string>) => void): void {
  const db = new Database(join(dataDir, 'minato.db'));
  try {
    const row = db.prepare<[string, string], { key: string; value: string }>('SELECT key, value FROM documents WHERE collection = ? AND key LIKE ?').get(collection, keyLike);
    if (!row) throw new Error(`no ${collection} document like ${keyLike}`);
    const value = JSON.parse(row.value) as Record<string, string>;
    change(value);
    db.prepare('UPDATE documents SET value = ? WHERE collection = ? AND key = ?').run(JSON.stringify(value), collection, row.key);
  } finally {
    db.close();
  }
}

function readDoc(dataDir: string, collection: string, keyLike: string): Record<string, string> {
  const db = new Database(join(dataDir, 'minato.db'), { readonly: true });
  try {
    const row = db.prepare<[string, string], { value: string }>('SELECT value FROM documents WHERE collection = ? AND key LIKE ?').get(collection, keyLike);
    return JSON.parse(row!.value) as Record<string, string>;
  } finally {
    db.close();
  }
}

let dataDir: string;
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('values at rest', () => {
  it('never stores a secret or SecureString in the clear, and never logs one; a String parameter shows the scan works', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'minato-at-rest-'));
    const secretText = `sm-${randomBytes(12).toString('hex')}`;
    const secretBytes = randomBytes(48);
    const secureText = `ssm-${randomBytes(12).toString('hex')}`;
    const plainText = `plain-${randomBytes(12).toString('hex')}`;
    const p = await start(dataDir);
    try {
      await p.sm.send(new CreateSecretCommand({ Name: 'db', SecretString: secretText }));
      await p.sm.send(new PutSecretValueCommand({ SecretId: 'db', SecretString: `${secretText}-v2` }));
      await p.sm.send(new CreateSecretCommand({ Name: 'bin', SecretBinary: secretBytes }));
      await p.ssm.send(new PutParameterCommand({ Name: '/app/secure', Value: secureText, Type: 'SecureString' }));
      await p.ssm.send(new PutParameterCommand({ Name: '/app/plain', Value: plainText, Type: 'String' }));
      // Failures that carry the values in their requests must not echo them either.
      await p.sm.send(new CreateSecretCommand({ Name: 'db', SecretString: secretText })).catch(() => undefined);
      await p.ssm.send(new PutParameterCommand({ Name: '/app/secure', Value: secureText, Type: 'SecureString' })).catch(() => undefined);
      await p.ssm.send(new PutParameterCommand({ Name: '/pat', Value: secureText, Type: 'SecureString', AllowedPattern: '[0-9]+' })).catch(() => undefined);
      expect((await p.sm.send(new GetSecretValueCommand({ SecretId: 'db', VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe(secretText);
    } finally {
      await p.stop();
    }
    const disk = diskBytes(dataDir);
    expect(contains(disk, secretText)).toBe(false);
    expect(contains(disk, secretBytes)).toBe(false);
    expect(contains(disk, secureText)).toBe(false);
    expect(contains(disk, plainText)).toBe(true);
    const logs = p.logs.join('');
    for (const value of [secretText, secureText, secretBytes.toString('base64')]) expect(logs).not.toContain(value);

    // The values survive a restart with the same master key.
    const again = await start(dataDir);
    try {
      expect((await again.sm.send(new GetSecretValueCommand({ SecretId: 'db' }))).SecretString).toBe(`${secretText}-v2`);
      expect((await again.ssm.send(new GetParameterCommand({ Name: '/app/secure', WithDecryption: true }))).Parameter?.Value).toBe(secureText);
    } finally {
      await again.stop();
    }
  });

  it('refuses a master key file that group or others can read', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'minato-at-rest-'));
    const p = await start(dataDir);
    await p.stop();
    chmodSync(join(dataDir, MASTER_KEY_FILE), 0o644);
    await expect(start(dataDir)).rejects.toThrow(MasterKeyError);
    await expect(start(dataDir)).rejects.toThrow(/must not be accessible by group or others/);
  });

  it('fails authentication on a tampered ciphertext, a value moved to another secret, and another master key', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'minato-at-rest-'));
    let p = await start(dataDir);
    try {
      await p.sm.send(new CreateSecretCommand({ Name: 'one', SecretString: 'first value' }));
      await p.sm.send(new CreateSecretCommand({ Name: 'two', SecretString: 'second value' }));
      await p.sm.send(new CreateSecretCommand({ Name: 'three', SecretString: 'third value' }));
      await p.ssm.send(new PutParameterCommand({ Name: '/p', Value: 'param value', Type: 'SecureString' }));

      tamper(dataDir, 'sm-secret-values', 'us-east-1/one:%', (value) => {
        const bytes = Buffer.from(value.sealed!, 'base64');
        bytes[bytes.length - 1]! ^= 0x01;
        value.sealed = bytes.toString('base64');
      });
      const flipped = await p.sm.send(new GetSecretValueCommand({ SecretId: 'one' })).catch((e: Error) => e);
      expect(flipped).toBeInstanceOf(DecryptionFailure);
      expect((flipped as Error).message).toBe("Secrets Manager can't decrypt the protected secret text using the provided KMS key.");

      // A valid ciphertext of "three", copied onto "two": it authenticates only where it was sealed.
      const three = readDoc(dataDir, 'sm-secret-values', 'us-east-1/three:%');
      tamper(dataDir, 'sm-secret-values', 'us-east-1/two:%', (value) => (value.sealed = three.sealed!));
      await expect(p.sm.send(new GetSecretValueCommand({ SecretId: 'two' }))).rejects.toBeInstanceOf(DecryptionFailure);
      expect((await p.sm.send(new GetSecretValueCommand({ SecretId: 'three' }))).SecretString).toBe('third value');

      tamper(dataDir, 'ssm-parameter-values', 'us-east-1/p#%', (value) => {
        const bytes = Buffer.from(value.sealed!, 'base64');
        bytes[20]! ^= 0x80;
        value.sealed = bytes.toString('base64');
      });
      await expect(p.ssm.send(new GetParameterCommand({ Name: '/p', WithDecryption: true }))).rejects.toBeInstanceOf(InvalidKeyId);
    } finally {
      await p.stop();
    }
    // Another master key opens nothing.
    writeFileSync(join(dataDir, MASTER_KEY_FILE), randomBytes(32), { mode: 0o600 });
    p = await start(dataDir);
    try {
      await expect(p.sm.send(new GetSecretValueCommand({ SecretId: 'three' }))).rejects.toBeInstanceOf(DecryptionFailure);
    } finally {
      await p.stop();
    }
  });
});
