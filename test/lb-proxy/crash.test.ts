// The platform killed with SIGKILL: HAProxy keeps serving, and the next start adopts it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alb, forward, get, group, rule, startTarget, stopTargets, until, type TestTarget } from './lb.fixtures.js';
import { HaproxyDataPlane } from '../../src/lb-proxy/haproxy-data-plane.js';
import type { ProxyConfig } from '../../src/lb-proxy/proxy-config.js';

const lbAddress = '127.78.5.1';
let targets: TestTarget[];
let dataDir: string;
let hostsFile: string;
let child: ChildProcess | undefined;
let adopted: HaproxyDataPlane | undefined;

beforeAll(async () => {
  targets = await Promise.all(['a', 'b'].map((n, i) => startTarget(n, `127.78.5.${10 + i}`)));
  dataDir = await mkdtemp(join(tmpdir(), 'minato-lb-crash-'));
  hostsFile = join(dataDir, 'hosts');
  await writeFile(hostsFile, '127.0.0.1 localhost\n');
});

afterAll(async () => {
  child?.kill('SIGKILL');
  // The adopted plane, or a fresh one adopting what the killed process left, stops HAProxy.
  await (adopted ?? (await HaproxyDataPlane.open({ dataDir, hostsFile }))).close();
  await stopTargets(targets ?? []);
  await rm(dataDir, { recursive: true, force: true });
});

describe('a killed platform', () => {
  it('leaves HAProxy serving, and the next start adopts it', async () => {
    const config: ProxyConfig = { loadBalancers: [alb('crash', lbAddress, 8080, [rule('default', forward('arn:tg/c'))])], targetGroups: [group('arn:tg/c', targets)] };
    child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'plane-process.fixtures.ts'), dataDir, hostsFile, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += String(d)));
    await until(() => out.includes('ready'), 20_000, 'the platform process');
    const pid = Number((await readFile(join(dataDir, 'lb', 'haproxy.pid'), 'utf8')).trim());
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = undefined;
    for (let i = 0; i < 10; i++) expect((await get(`http://${lbAddress}:8080/`)).status).toBe(200);
    expect(await readFile(hostsFile, 'utf8')).toContain(`${lbAddress} crash-1.us-east-1.elb.localhost`);

    adopted = await HaproxyDataPlane.open({ dataDir, hostsFile });
    expect(adopted.masterPid).toBe(pid);
    await adopted.apply(config);
    for (let i = 0; i < 10; i++) expect((await get(`http://${lbAddress}:8080/`)).status).toBe(200);
    await adopted.close();
    adopted = undefined;
    expect(await readFile(hostsFile, 'utf8')).toBe('127.0.0.1 localhost\n');
    await expect(get(`http://${lbAddress}:8080/`)).rejects.toThrow(/ECONNREFUSED/);
    // A fresh open over the closed directory finds nothing to adopt and closes cleanly.
    adopted = await HaproxyDataPlane.open({ dataDir, hostsFile });
    expect(adopted.masterPid).toBeUndefined();
  }, 40_000);
});
