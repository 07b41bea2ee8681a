import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresMissing, startPostgresServer, type PostgresServer } from '../src/store/postgres-server.fixtures.js';
import { MINATO_BIN, runMinatoExpectingExit, spawnMinato, type MinatoProcess } from './support/minato-process.js';
import { buildImage, type BuiltImage } from './support/oci-image.js';
import { skopeo, skopeoWithInput } from './registry/tools.js';

// Replicas: two `minato up` processes, each with its own data dir, sharing one PostgreSQL
// database and one blob dir. What one stores (an image, a secret) the other serves.

function skopeoMissing(): string | undefined {
  try {
    execFileSync('skopeo', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'skopeo is not installed';
  }
}

const missing = postgresMissing() ?? skopeoMissing();
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe.skipIf(missing !== undefined)(missing ?? 'minato up --blob-dir (replicas)', () => {
  let server: PostgresServer;
  let root: string;
  let url: string;
  let image: BuiltImage;
  const running: MinatoProcess[] = [];
  let a: MinatoProcess;
  let b: MinatoProcess;
  const dir = (name: string) => join(root, name);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'minato-replicas-'));
    server = await startPostgresServer();
    url = await server.createDatabase();
    // Started at the same moment: both create the shared keys, and must end with the same ones.
    // One is told by flag, the other by environment.
    [a, b] = await Promise.all([
      spawnMinato(['--replica', '--port', '0', '--data-dir', dir('a'), '--store', url, '--blob-dir', dir('shared')]),
      spawnMinato(['--port', '0', '--data-dir', dir('b'), '--store', url], { MINATO_BLOB_DIR: dir('shared'), MINATO_REPLICA: '1' }),
    ]);
    running.push(a, b);
    image = await buildImage({ files: { '/app/hello.txt': 'hello from a replica' }, layers: [{ files: { '/app/second.txt': 'second layer' } }] });
  }, 120_000);

  afterAll(async () => {
    for (const p of running) await p.stop();
    await image?.cleanup();
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('keeps the shared keys in <blob-dir>/keys, private, and none in the data dirs', () => {
    const keys = dir('shared/keys');
    expect(statSync(keys).mode & 0o777).toBe(0o700);
    expect(readdirSync(keys).sort()).toEqual(['agent-instance.key', 'agent-token', 'master.key', 'registry-token.key', 'sns-signing-cert.pem', 'sns-signing-key.pem']);
    for (const name of readdirSync(keys)) expect(statSync(join(keys, name)).mode & 0o777, name).toBe(name.endsWith('cert.pem') ? 0o644 : 0o600);
    for (const data of [dir('a'), dir('b')]) {
      expect(existsSync(join(data, 'master.key'))).toBe(false);
      expect(existsSync(join(data, 'registry'))).toBe(false);
    }
    // `minato agent-token` hands out the token every replica accepts.
    const printed = spawnSync(process.execPath, [MINATO_BIN, 'agent-token', '--data-dir', dir('b'), '--blob-dir', dir('shared')], { encoding: 'utf8', timeout: 15_000 });
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout.trim()).toBe(readFileSync(join(keys, 'agent-token'), 'utf8').trim());
  });

  it('serves an image pushed with skopeo through one replica from the other, logged in with the first one\'s token', async () => {
    const work = dir('skopeo');
    const ecr = new ECRClient({ endpoint: a.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'shared/app' }));
      const token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
      const password = Buffer.from(token, 'base64').toString('utf8').slice('AWS:'.length);
      const [hostA, hostB] = [a, b].map((p) => p.endpoint.replace(/^http:\/\//, ''));
      for (const host of [hostA!, hostB!]) {
        const login = await skopeoWithInput(work, password, 'login', '--tls-verify=false', '--username', 'AWS', '--password-stdin', host);
        expect(login.code, login.stderr).toBe(0);
      }
      const pushed = await skopeo(work, 'copy', '--dest-tls-verify=false', `oci:${image.dir}:latest`, `docker://${hostA}/shared/app:v1`);
      expect(pushed.code, pushed.stderr).toBe(0);
      const out = join(work, 'pulled');
      const pulled = await skopeo(work, 'copy', '--src-tls-verify=false', `docker://${hostB}/shared/app:v1`, `oci:${out}:copy`);
      expect(pulled.code, pulled.stderr).toBe(0);
      const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
      expect(index.manifests[0]!.digest).toBe(image.manifestDigest);
      for (const layer of image.layers) expect(existsSync(join(out, 'blobs', 'sha256', layer.digest.slice('sha256:'.length)))).toBe(true);
    } finally {
      ecr.destroy();
    }
  }, 120_000);

  it('reads through one replica a secret created through the other (one master key)', async () => {
    const [sa, sb] = [a, b].map((p) => new SecretsManagerClient({ endpoint: p.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }));
    try {
      await sa!.send(new CreateSecretCommand({ Name: 'shared/db', SecretString: 'p4ssw0rd' }));
      const value = await sb!.send(new GetSecretValueCommand({ SecretId: 'shared/db' }));
      expect(value.SecretString).toBe('p4ssw0rd');
    } finally {
      sa!.destroy();
      sb!.destroy();
    }
  });

  it('refuses to start a data dir whose own master key differs from the shared one, naming the files', async () => {
    const own = await spawnMinato(['--port', '0', '--data-dir', dir('c')]);
    await own.stop();
    const { code, stderr } = await runMinatoExpectingExit(['--port', '0', '--data-dir', dir('c'), '--store', url, '--blob-dir', dir('shared')]);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`${join(dir('shared'), 'keys', 'master.key')} and ${join(dir('c'), 'master.key')} hold different keys`);
    const { stderr: relative } = await runMinatoExpectingExit(['--port', '0', '--data-dir', dir('d'), '--blob-dir', 'shared']);
    expect(relative).toContain('--blob-dir must be an absolute path');
  }, 60_000);
});
