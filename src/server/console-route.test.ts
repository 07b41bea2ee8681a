import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRoutes } from './console-route.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-console-route-'));
const app = Fastify();
const bare = Fastify();

beforeAll(async () => {
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="app"></div>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  await app.register(consoleRoutes(dir));
  await bare.register(consoleRoutes(join(dir, 'missing')));
});
afterAll(async () => {
  await app.close();
  await bare.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the console route', () => {
  it('answers every page path with the page, uncached, under a strict content security policy', async () => {
    for (const url of ['/console/', '/console/clusters/a/services/b', '/console/logs/%2Fecs%2Fweb?tail=1']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<div id="app">');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('serves hashed assets for good, and nothing outside its folder', async () => {
    const res = await app.inject({ url: '/console/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.headers['content-type']).toContain('javascript');
    expect((await app.inject({ url: '/console/assets/missing.js' })).statusCode).toBe(404);
    const escape = await app.inject({ url: '/console/assets/..%2f..%2f..%2f..%2fetc%2fpasswd' });
    expect([403, 404]).toContain(escape.statusCode);
    expect(escape.body).not.toContain('root:');
  });

  it('redirects /console to /console/', async () => {
    const res = await app.inject({ url: '/console' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/console/');
  });

  it('says how to build it when it is not built', async () => {
    const res = await bare.inject({ url: '/console/' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('npm run build');
  });
});
