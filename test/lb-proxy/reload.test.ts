// Reloads under load: structural changes while a keep-alive client sends a few hundred requests
// a second must not cost a single error; and a restarted platform adopts the running HAProxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alb, allHealthy, forward, get, group, openPlane, rule, startTarget, stopTargets, type TestTarget } from './lb.fixtures.js';
import { HaproxyDataPlane } from '../../src/lb-proxy/haproxy-data-plane.js';
import type { ProxyConfig } from '../../src/lb-proxy/proxy-config.js';

const lbAddress = '127.78.3.1';
/** A live process (a zombie waiting for its parent to reap it is not). */
const running = (pid: number): boolean => {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
let plane: HaproxyDataPlane;
let dataDir: string;
let hostsFile: string;
let cleanup: () => Promise<void>;
let targets: TestTarget[];

const config = (extraRules: number): ProxyConfig => ({
  loadBalancers: [
    alb('reload', lbAddress, 8080, [
      ...Array.from({ length: extraRules }, (_, i) =>
        rule(i + 1, { type: 'fixed-response', statusCode: '404' }, [{ field: 'path-pattern', values: [`/gone-${i}`] }]),
      ),
      rule('default', forward('arn:tg/r')),
    ]),
  ],
  targetGroups: [group('arn:tg/r', targets)],
});

beforeAll(async () => {
  targets = await Promise.all(['a', 'b', 'c'].map((n, i) => startTarget(n, `127.78.3.${10 + i}`)));
  ({ plane, cleanup, dataDir, hostsFile } = await openPlane());
  await plane.apply(config(0));
  await allHealthy(plane, 'arn:tg/r', 3);
}, 30_000);

afterAll(async () => {
  await cleanup?.();
  await stopTargets(targets ?? []);
});

describe('reloads', () => {
  it('serves every request of a keep-alive client through five reloads', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    let ok = 0;
    const failures: string[] = [];
    let running = true;
    const started = Date.now();
    const worker = async (): Promise<void> => {
      while (running) {
        try {
          const res = await get(`http://${lbAddress}:8080/x`, {}, agent);
          if (res.status === 200) ok += 1;
          else failures.push(`status ${res.status}`);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    for (let i = 1; i <= 5; i++) {
      await new Promise((r) => setTimeout(r, 600));
      const pid = plane.masterPid;
      await plane.apply(config(i));
      expect(plane.masterPid).toBe(pid);
    }
    await new Promise((r) => setTimeout(r, 600));
    running = false;
    await Promise.all(workers);
    agent.destroy();
    const seconds = (Date.now() - started) / 1000;
    expect(failures).toEqual([]);
    expect(ok / seconds).toBeGreaterThan(200);
    expect((await get(`http://${lbAddress}:8080/gone-4`)).status).toBe(404);
  }, 30_000);

  it('fails an apply whose listener address another process holds, and keeps serving', async () => {
    const squatter = await startTarget('squatter', '127.78.3.2');
    const taken = config(5);
    taken.loadBalancers.push(alb('taken', '127.78.3.2', squatter.port, [rule('default', forward('arn:tg/r'))]));
    await expect(plane.apply(taken)).rejects.toThrow(/HAProxy/);
    await stopTargets([squatter]);
    expect((await get(`http://${lbAddress}:8080/x`)).status).toBe(200);
    await plane.apply(config(5));
  }, 30_000);

  it('adopts the running HAProxy after a restart, without cutting traffic', async () => {
    const pid = plane.masterPid;
    // A new platform process over the same data directory, the old one gone without close().
    const again = await HaproxyDataPlane.open({ dataDir, hostsFile });
    expect(again.masterPid).toBe(pid);
    await again.apply(config(5));
    expect(again.targetHealth('arn:tg/r').map((h) => h.state)).toEqual(['healthy', 'healthy', 'healthy']);
    for (let i = 0; i < 6; i++) expect((await get(`http://${lbAddress}:8080/x`)).status).toBe(200);
    // The first plane's checks stop; the second owns HAProxy from here and closes it in cleanup.
    (plane as unknown as { monitor: { stop(): void } }).monitor.stop();
    plane = again;
    const first = cleanup;
    cleanup = async () => {
      await again.close();
      // close() stops HAProxy, removes its files and this platform's hosts block.
      expect(await readFile(hostsFile, 'utf8')).toBe('127.0.0.1 localhost\n');
      expect(existsSync(join(dataDir, 'lb'))).toBe(false);
      expect(running(pid!)).toBe(false);
      await first();
    };
  }, 30_000);
});
