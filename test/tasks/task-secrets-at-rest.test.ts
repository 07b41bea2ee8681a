import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { StopTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkDataDir } from '../support/data-dir-walk.js';
import { usePlatform } from '../support/platform.js';
import { isRunning, isStopped, runTask, startImageFixture, waitForTask, type ImageFixture } from './task-fixture.js';

const env = usePlatform();
let ecs: ECSClient;
let fixture: ImageFixture;

beforeAll(async () => {
  ecs = env.ecs();
  fixture = await startImageFixture();
});
afterAll(() => fixture?.stop());

const ROLE = 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole';
const SECRET = 'n0t-on-disk-7f3a9c';
// The container checks its secret by hash, so that the value is nowhere but in the secret store.
const SECRET_SHA256 = createHash('sha256').update(SECRET).digest('hex');

describe('secrets at rest', () => {
  it('keeps an injected secret only in the running container\'s config.json, 0600 in a 0700 bundle', async () => {
    const { endpoint } = env.platform();
    const sm = new SecretsManagerClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'at-rest', SecretString: SECRET }));
    sm.destroy();
    // A user other than root: a private data dir must not keep it from its image's files.
    const res = await runTask(ecs, 'at-rest', 'at-rest', [
      { name: 'app', image: fixture.image, user: '1000', command: ['sh', '-c', `test "$(printf %s "$PASSWORD" | sha256sum | cut -c1-64)" = ${SECRET_SHA256} || exit 1; trap 'exit 0' TERM; sleep 600 & wait`], secrets: [{ name: 'PASSWORD', valueFrom: ARN }] },
    ], { executionRoleArn: ROLE });
    const arn = res.tasks![0]!.taskArn!;
    await waitForTask(ecs, 'at-rest', arn, isRunning);

    const dataDir = env.platform().config.dataDir;
    // Container file systems and image layers carry the image's own modes; they hold no state of minato's.
    const skip = (p: string) => /\/bundle\/rootfs$|\/(upper|work)$|^images\/layers\//.test(p);
    const entries = walkDataDir(dataDir, SECRET, skip);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const holding = entries.filter((e) => e.containsNeedle).map((e) => e.path);
    expect(holding).toHaveLength(1);
    expect(holding[0]).toMatch(/^runtime\/containers\/[^/]+\/bundle\/config\.json$/);
    // minato's own state: the databases, keys and tokens, the lock, the runtime's handles and bundles.
    const privateFile = /^(minato\.db|logs\.db)(-wal|-shm)?$|^(master\.key|agent-token|agent-instance\.key)$|\/(handle\.json|bundle\/config\.json)$/;
    const privateDir = /^runtime\/containers\/[^/]+(\/bundle)?$/;
    const own = entries.filter((e) => privateFile.test(e.path) || privateDir.test(e.path));
    expect(own.filter((e) => e.path === 'minato.db-wal' || e.path.endsWith('config.json') || e.path.endsWith('/bundle'))).toHaveLength(3);
    for (const e of own) expect({ path: e.path, mode: e.mode.toString(8) }).toEqual({ path: e.path, mode: e.kind === 'dir' ? '700' : '600' });

    await ecs.send(new StopTaskCommand({ cluster: 'at-rest', task: arn }));
    const stopped = await waitForTask(ecs, 'at-rest', arn, isStopped);
    // The container ran as uid 1000 and saw its secret (it would have exited 1 otherwise).
    expect(stopped.containers?.[0]?.exitCode).toBe(0);
  });
});
