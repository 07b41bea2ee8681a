import { describe, expect, it } from 'vitest';
import { checkHostname, defaultHostname, hostsFile, resolvConfFile } from './etc-files.js';

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
