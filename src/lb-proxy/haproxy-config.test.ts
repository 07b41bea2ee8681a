import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { haproxyConfig } from './haproxy-config.js';
import type { ProxyConfig, ProxyTargetGroup } from './proxy-config.js';

const group = (arn: string, extra: Partial<ProxyTargetGroup> = {}): ProxyTargetGroup => ({
  arn,
  name: 'g',
  protocol: 'HTTP',
  healthCheck: { enabled: true, protocol: 'HTTP', port: 'traffic-port', path: '/', intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 },
  deregistrationDelaySeconds: 300,
  slowStartSeconds: 30,
  stickiness: { enabled: true, type: 'lb_cookie', durationSeconds: 86400 },
  algorithm: 'least_outstanding_requests',
  targets: [
    { id: '10.0.0.1', address: '10.0.0.1', port: 80, draining: false },
    { id: '10.0.0.2', address: '10.0.0.2', port: 80, draining: true },
  ],
  ...extra,
});

const config: ProxyConfig = {
  loadBalancers: [
    {
      arn: 'arn:lb/app', name: 'app', type: 'application', dnsName: 'app.elb.localhost', address: '127.78.9.1', idleTimeoutSeconds: 30,
      listeners: [{
        arn: 'arn:listener/1', port: 80, protocol: 'HTTP', certificates: [],
        rules: [
          { arn: 'r1', priority: 1, conditions: [
            { field: 'path-pattern', values: ['/a$b/*', '/x?"y'] },
            { field: 'host-header', values: ['*.example.com'] },
            { field: 'http-header', headerName: 'X-Env', values: ['beta*'] },
            { field: 'http-request-method', values: ['GET', 'HEAD'] },
            { field: 'query-string', values: [{ key: 'v', value: '2' }, { value: 'on*' }] },
            { field: 'source-ip', values: ['10.0.0.0/8'] },
          ], action: { type: 'forward', targetGroups: [{ arn: 'arn:tg/a', weight: 3 }, { arn: 'arn:tg/b', weight: 1 }], stickiness: { enabled: true, durationSeconds: 60 } } },
          { arn: 'r2', priority: 2, conditions: [{ field: 'path-pattern', values: ['/fixed'] }],
            action: { type: 'fixed-response', statusCode: '200', contentType: 'application/json', messageBody: '{"a":"$x 100%"}' } },
          { arn: 'r3', priority: 3, conditions: [{ field: 'path-pattern', values: ['/r'] }],
            action: { type: 'redirect', protocol: '#{protocol}', port: '8443', host: 'new.#{host}', path: '/#{path}', query: 'x=1&#{query}', statusCode: 'HTTP_302' } },
          { arn: 'rd', priority: 'default', conditions: [], action: { type: 'forward', targetGroups: [{ arn: 'arn:tg/a', weight: 1 }] } },
        ],
      }],
    },
  ],
  targetGroups: [group('arn:tg/a'), group('arn:tg/b', { stickiness: { enabled: true, type: 'app_cookie', durationSeconds: 60, cookieName: 'SESSION' } })],
};

const paths = (dir: string) => ({ dir, adminSocket: join(dir, 'admin.sock'), pidFile: join(dir, 'haproxy.pid') });

describe('haproxyConfig', () => {
  it('writes draining and not-yet-healthy targets disabled, the others ready', () => {
    const { text } = haproxyConfig(config, (_g, t) => !t.draining, paths('/d'));
    expect(text).toMatch(/server t-10_0_0_1-80 10\.0\.0\.1:80 weight 100 slowstart 30s cookie [0-9a-f]{12}\n/);
    expect(text).toMatch(/server t-10_0_0_2-80 10\.0\.0\.2:80 .* disabled\n/);
    expect(text).toContain('balance leastconn');
    expect(text).toContain('timeout client 30s');
  });

  it('keeps rule order: each rule claims the request only when no earlier one did', () => {
    const { text } = haproxyConfig(config, () => true, paths('/d'));
    const claims = text.split('\n').filter((l) => l.includes('set-var(txn.rule)'));
    expect(claims.map((l) => /int\((\d+)\)/.exec(l)?.[1])).toEqual(['0', '1', '2', '3']);
    for (const l of claims) expect(l).toContain('if !{ var(txn.rule) -m found }');
  });

  it('writes weighted forwards, group stickiness, redirects and escaped patterns', () => {
    const { text, files } = haproxyConfig(config, () => true, paths('/d'));
    expect(text).toContain('http-request set-var(txn.pick0) rand(4) if { var(txn.rule) -m int eq 0 }');
    expect(text).toMatch(/use_backend tg-\w+ if \{ var\(txn.rule\) -m int eq 0 \} \{ req.cook\(AWSALBTG\) -m str tg-\w+ \}/);
    expect(text).toMatch(/use_backend tg-\w+ if \{ var\(txn.rule\) -m int eq 0 \} \{ var\(txn.pick0\) -m int lt 3 \}/);
    expect(text).toContain('http-request redirect location "http://new.%[req.hdr(host),field(1,:)]:8443/%[path,regsub(^/,)]?x=1&%[query]" code 302');
    // HAProxy reads this back as the regexes ^/a\$b/.*$ and ^/x."y$.
    expect(text).toContain(String.raw`{ path -m reg "^/a\\\$b/.*\$" "^/x.\"y\$" }`);
    expect(files.find((f) => f.path.startsWith('bodies/'))?.content).toBe('{"a":"$x 100%"}');
    expect(text).toContain('stick on req.cook(SESSION)');
  });

  it('is accepted by haproxy -c', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minato-lbcfg-'));
    try {
      const { text, files } = haproxyConfig(config, (_g, t) => !t.draining, paths(dir));
      for (const f of files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
      writeFileSync(join(dir, 'haproxy.cfg'), text);
      const out = execFileSync('/usr/sbin/haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toContain('Configuration file is valid');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
