import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, DescribeClustersCommand, DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, describe, expect, it } from 'vitest';
import { runMinatoExpectingExit, spawnMinato, type MinatoProcess } from './support/minato-process.js';

const dirs: string[] = [];
const running: MinatoProcess[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'minato-up-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const client = (endpoint: string, credentials = { accessKeyId: 'test', secretAccessKey: 'test' }) =>
  new ECSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

describe('minato up', () => {
  it('prints JSON logs and a ready line with the endpoint, and exits 0 on SIGTERM', async () => {
    const dataDir = tempDir();
    const p = await spawnMinato(['--port', '0', '--data-dir', dataDir]);
    running.push(p);
    expect(p.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const line of p.lines) expect(() => JSON.parse(line)).not.toThrow();
    const readyLine = JSON.parse(p.lines.find((l) => l.includes('ready'))!) as { endpoint: string; level: number };
    expect(readyLine.endpoint).toBe(p.endpoint);
    expect(statSync(join(dataDir, 'minato.db')).isFile()).toBe(true);
    expect(await p.stop('SIGTERM')).toBe(0);
  });

  it('keeps state across a restart on the same data dir', async () => {
    const dataDir = tempDir();
    const first = await spawnMinato(['--port', '0', '--data-dir', dataDir]);
    running.push(first);
    const ecs1 = client(first.endpoint);
    await ecs1.send(new CreateClusterCommand({ clusterName: 'durable', tags: [{ key: 'k', value: 'v' }] }));
    await ecs1.send(new RegisterTaskDefinitionCommand({ family: 'durable', containerDefinitions: [{ name: 'a', image: 'busybox', memory: 32 }] }));
    ecs1.destroy();
    expect(await first.stop('SIGINT')).toBe(0);

    const second = await spawnMinato(['--port', '0', '--data-dir', dataDir]);
    running.push(second);
    const ecs2 = client(second.endpoint);
    const clusters = await ecs2.send(new DescribeClustersCommand({ clusters: ['durable'], include: ['TAGS'] }));
    expect(clusters.clusters?.[0]?.tags).toEqual([{ key: 'k', value: 'v' }]);
    const td = await ecs2.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'durable' }));
    expect(td.taskDefinition?.revision).toBe(1);
    const next = await ecs2.send(new RegisterTaskDefinitionCommand({ family: 'durable', containerDefinitions: [{ name: 'a', image: 'busybox', memory: 32 }] }));
    expect(next.taskDefinition?.revision).toBe(2);
    ecs2.destroy();
    expect(await second.stop()).toBe(0);
  });

  it('takes its settings from MINATO_* environment variables, and flags win over them', async () => {
    const dataDir = tempDir();
    const p = await spawnMinato(['--port', '0'], {
      MINATO_PORT: '1', // overridden by the flag: port 1 would need privileges it should not use
      MINATO_DATA_DIR: dataDir,
      MINATO_ACCOUNT_ID: '210987654321',
      MINATO_ACCESS_KEY_ID: 'AKIDLOCAL',
      MINATO_SECRET_ACCESS_KEY: 'local-secret',
    });
    running.push(p);
    const ecs = client(p.endpoint, { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' });
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'env' }));
    expect(cluster?.clusterArn).toBe('arn:aws:ecs:us-east-1:210987654321:cluster/env');
    await expect(client(p.endpoint).send(new DescribeClustersCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    ecs.destroy();
    expect(statSync(join(dataDir, 'minato.db')).isFile()).toBe(true);
    expect(await p.stop()).toBe(0);
  });

  it('refuses the default credentials on a non-loopback address', async () => {
    const { code, stderr } = await runMinatoExpectingExit(['--host', '0.0.0.0', '--port', '0', '--data-dir', tempDir()]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('refusing to serve the default credentials');
  });

  it('serves the regions --extra-regions (or MINATO_EXTRA_REGIONS) adds, and refuses other unknown ones', async () => {
    const p = await spawnMinato(['--port', '0', '--data-dir', tempDir(), '--extra-regions', 'lab-1,xx-fake-9'], { MINATO_EXTRA_REGIONS: 'ignored-1' });
    running.push(p);
    for (const region of ['lab-1', 'xx-fake-9', 'ap-northeast-1']) {
      const ecs = new ECSClient({ endpoint: p.endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'here' }));
      expect(cluster?.clusterArn).toBe(`arn:aws:ecs:${region}:000000000000:cluster/here`);
      ecs.destroy();
    }
    const other = new ECSClient({ endpoint: p.endpoint, region: 'ignored-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await expect(other.send(new DescribeClustersCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    other.destroy();
    expect(await p.stop()).toBe(0);
  });

  it('refuses an account id that is not 12 digits', async () => {
    const { code, stderr } = await runMinatoExpectingExit(['--account-id', '42', '--port', '0', '--data-dir', tempDir()]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('12 digits');
  });

  it('owns its data dir: a second one names the holder and exits non-zero; after kill -9 the next one starts', async () => {
    const dataDir = tempDir();
    const first = await spawnMinato(['--port', '0', '--data-dir', dataDir]);
    running.push(first);
    const refused = await runMinatoExpectingExit(['--port', '0', '--data-dir', dataDir]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`pid ${first.child.pid}`);
    expect(refused.stderr).toContain(first.endpoint);
    expect(await first.stop('SIGKILL')).toBe(null);
    // The kernel dropped the dead holder's lock: nothing stale to clean up.
    const next = await spawnMinato(['--port', '0', '--data-dir', dataDir]);
    running.push(next);
    expect(await next.stop('SIGTERM')).toBe(0);
  });

  it('tightens a data dir others can reach to 0700, with a warning, and keeps its databases 0600', async () => {
    const dataDir = tempDir();
    chmodSync(dataDir, 0o755);
    const p = await spawnMinato(['--port', '0', '--data-dir', dataDir]);
    running.push(p);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(p.lines.some((l) => l.includes('"level":40') && l.includes('0700'))).toBe(true);
    for (const f of ['minato.db', 'minato.db-wal', 'logs.db', 'metrics.db', 'master.key', 'minato.lock']) expect(statSync(join(dataDir, f)).mode & 0o777).toBe(0o600);
    expect(await p.stop()).toBe(0);
  });

  it('exits 0 within seconds on SIGTERM while a client holds a request whose body never comes', async () => {
    const p = await spawnMinato(['--port', '0', '--data-dir', tempDir()]);
    running.push(p);
    const url = new URL(p.endpoint);
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 1000\r\n\r\n{');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(performance.now() - started).toBeLessThan(10_000);
    await closed;
  });
});
