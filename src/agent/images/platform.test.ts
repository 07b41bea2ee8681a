import { describe, expect, it } from 'vitest';
import type { Descriptor, Platform } from './manifest.js';
import { formatPlatform, hostPlatform, platformScore, selectManifest } from './platform.js';

const entry = (name: string, platform?: Platform, annotations?: Record<string, string>): Descriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${name.padEnd(64, '0')}`,
  size: 1,
  ...(platform ? { platform } : {}),
  ...(annotations ? { annotations } : {}),
});

describe('hostPlatform', () => {
  it('maps Node architectures to OCI ones', () => {
    expect(hostPlatform('x64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(hostPlatform('arm64')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(hostPlatform('s390x')).toEqual({ os: 'linux', architecture: 's390x' });
  });

  it('describes this host', () => {
    expect(hostPlatform().architecture).toBe(process.arch === 'x64' ? 'amd64' : process.arch);
  });
});

describe('selectManifest', () => {
  const amd64 = entry('a', { os: 'linux', architecture: 'amd64' });
  const arm64 = entry('b', { os: 'linux', architecture: 'arm64', variant: 'v8' });
  const armv7 = entry('c', { os: 'linux', architecture: 'arm', variant: 'v7' });
  const armv6 = entry('d', { os: 'linux', architecture: 'arm', variant: 'v6' });
  const windows = entry('e', { os: 'windows', architecture: 'amd64' });
  const attestation = entry('f', { os: 'unknown', architecture: 'unknown' }, { 'vnd.docker.reference.type': 'attestation-manifest' });

  it('picks the host platform from an index', () => {
    const index = [attestation, windows, arm64, amd64];
    expect(selectManifest(index, { os: 'linux', architecture: 'amd64' })).toBe(amd64);
    expect(selectManifest(index, { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(arm64);
    expect(selectManifest(index, { os: 'linux', architecture: 's390x' })).toBeUndefined();
  });

  it('treats a missing arm64 variant as v8 and prefers exact arm variants', () => {
    const bare = entry('g', { os: 'linux', architecture: 'arm64' });
    expect(selectManifest([bare], { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(bare);
    expect(selectManifest([armv6, armv7], { os: 'linux', architecture: 'arm', variant: 'v7' })).toBe(armv7);
    expect(selectManifest([armv6], { os: 'linux', architecture: 'arm', variant: 'v7' })).toBe(armv6);
    expect(selectManifest([armv7], { os: 'linux', architecture: 'arm', variant: 'v6' })).toBeUndefined();
  });

  it('takes a manifest listed without platform only when nothing matches', () => {
    const unnamed = entry('h');
    expect(selectManifest([unnamed, amd64], { os: 'linux', architecture: 'amd64' })).toBe(amd64);
    expect(selectManifest([unnamed, arm64], { os: 'linux', architecture: 'amd64' })).toBe(unnamed);
  });

  it('normalises architecture aliases', () => {
    expect(platformScore({ os: 'linux', architecture: 'x86_64' }, { os: 'linux', architecture: 'amd64' })).toBe(2);
    expect(platformScore({ os: 'Linux', architecture: 'aarch64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(2);
    expect(platformScore({ os: 'linux', architecture: 'amd64', variant: 'v3' }, { os: 'linux', architecture: 'amd64' })).toBe(0);
  });

  it('formats platforms as ECS prints them', () => {
    expect(formatPlatform({ os: 'linux', architecture: 'amd64' })).toBe('linux/amd64');
    expect(formatPlatform({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe('linux/arm64/v8');
  });
});
