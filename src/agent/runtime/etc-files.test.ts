import { describe, expect, it } from 'vitest';
import { checkHostname, defaultHostname, hostsFile, resolvConfFile, resolvConfWithDns } from './etc-files.js';

describe('hostsFile', () => {
  it('starts with localhost and appends extra hosts in order', () => {
    const text = hostsFile([
      { hostname: 'db', ipAddress: '10.0.0.5' },
      { hostname: 'v6.example', ipAddress: 'fd00::1' },
    ]);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('127.0.0.1\tlocalhost');
    expect(lines[1]).toMatch(/^::1\tlocalhost/);
    expect(lines.slice(-2)).toEqual(['10.0.0.5\tdb', 'fd00::1\tv6.example']);
  });

  it('refuses entries that would corrupt the file', () => {
    expect(() => hostsFile([{ hostname: 'a b', ipAddress: '10.0.0.1' }])).toThrow(/invalid hostname/);
    expect(() => hostsFile([{ hostname: 'a', ipAddress: 'not-an-ip' }])).toThrow(/invalid IP/);
  });
});

describe('hostnames', () => {
  it('checks and derives hostnames', () => {
    expect(checkHostname('web-1.local')).toBe('web-1.local');
    expect(() => checkHostname('-bad')).toThrow();
    expect(() => checkHostname('x'.repeat(64))).toThrow();
    expect(defaultHostname('task_1.app')).toBe('task-1.app');
    expect(defaultHostname('a'.repeat(64))).toHaveLength(63);
  });
});

describe('resolvConfFile', () => {
  it('keeps the host file without loopback nameservers', () => {
    const host = 'search corp.example\nnameserver 127.0.0.53\nnameserver 10.1.2.3\noptions ndots:2\n';
    expect(resolvConfFile(host)).toBe('search corp.example\nnameserver 10.1.2.3\noptions ndots:2\n');
  });

  it('says so when no nameserver is left', () => {
    expect(resolvConfFile('nameserver 127.0.0.53\n')).toBe('# no usable nameserver on the host\n');
    expect(resolvConfFile(undefined)).toBe('# no usable nameserver on the host\n');
  });
});

describe('resolvConfWithDns', () => {
  const host = 'domain corp\nsearch corp.example\nnameserver 10.0.0.2\nnameserver 127.0.0.53\noptions edns0 trust-ad\n';

  it('replaces the nameservers and search domains and keeps the host options, as Docker does', () => {
    expect(resolvConfWithDns(host, { servers: ['10.9.9.9', '10.8.8.8'], search: ['svc.local', 'example.com'] })).toBe(
      'search svc.local example.com\nnameserver 10.9.9.9\nnameserver 10.8.8.8\noptions edns0 trust-ad\n',
    );
  });

  it('keeps what is not given from the host, minus loopback nameservers', () => {
    expect(resolvConfWithDns(host, { servers: ['10.9.9.9'] })).toBe('domain corp\nsearch corp.example\nnameserver 10.9.9.9\noptions edns0 trust-ad\n');
    expect(resolvConfWithDns(host, { search: ['a.b'] })).toBe('search a.b\nnameserver 10.0.0.2\noptions edns0 trust-ad\n');
    expect(resolvConfWithDns(host, {})).toBe(resolvConfFile(host));
  });

  it('refuses a nameserver that is not an IP address', () => {
    expect(() => resolvConfWithDns(host, { servers: ['dns.example'] })).toThrow('dns.example is not an ip address');
  });
});
