import { describe, expect, it } from 'vitest';
import { configProblem, DEFAULT_CONFIG, DEFAULT_LOCAL_NODES, extraRegionsConfig, fargateCpuOvercommitConfig, redactedStoreUrl, replicaProblem } from './config.js';
import { resolveConfig } from './up.js';

describe('--extra-regions', () => {
  it('reads comma-separated names from the flag, else MINATO_EXTRA_REGIONS', () => {
    expect(extraRegionsConfig(' xx-fake-9, local-1 ,', {})).toEqual(['xx-fake-9', 'local-1']);
    expect(extraRegionsConfig(undefined, { MINATO_EXTRA_REGIONS: 'lab-1' })).toEqual(['lab-1']);
    expect(extraRegionsConfig('lab-2', { MINATO_EXTRA_REGIONS: 'lab-1' })).toEqual(['lab-2']);
    expect(extraRegionsConfig(undefined, {})).toBeUndefined();
    expect(extraRegionsConfig(' , ', {})).toBeUndefined();
    expect(resolveConfig({ extraRegions: 'lab-1' }, {}).extraRegions).toEqual(['lab-1']);
    expect(resolveConfig({}, {})).not.toHaveProperty('extraRegions');
  });

  it('refuses names AWS could never use', () => {
    expect(configProblem({ ...DEFAULT_CONFIG, extraRegions: ['lab-1'] })).toBeUndefined();
    expect(configProblem({ ...DEFAULT_CONFIG, extraRegions: ['Lab 1'] })).toContain('"Lab 1"');
    expect(configProblem({ ...DEFAULT_CONFIG, extraRegions: ['a/b'] })).toContain('"a/b"');
  });
});

describe('--fargate-cpu-overcommit', () => {
  it('reads a factor from the flag, else MINATO_FARGATE_CPU_OVERCOMMIT, and refuses one below 1', () => {
    expect(fargateCpuOvercommitConfig('4', {})).toBe(4);
    expect(fargateCpuOvercommitConfig(undefined, { MINATO_FARGATE_CPU_OVERCOMMIT: '1.5' })).toBe(1.5);
    expect(fargateCpuOvercommitConfig('2', { MINATO_FARGATE_CPU_OVERCOMMIT: '16' })).toBe(2);
    expect(fargateCpuOvercommitConfig(undefined, {})).toBeUndefined();
    expect(() => fargateCpuOvercommitConfig('0.5', {})).toThrow('from 1 to 1000');
    expect(() => fargateCpuOvercommitConfig('lots', {})).toThrow('"lots"');
    expect(resolveConfig({ fargateCpuOvercommit: '3' }, {}).fargateCpuOvercommit).toBe(3);
    expect(resolveConfig({}, {})).not.toHaveProperty('fargateCpuOvercommit');
  });
});

describe('--lb-subnet', () => {
  it('comes from the flag, else MINATO_LB_SUBNET, else the platform default; a bad block refuses to start', () => {
    expect(resolveConfig({ lbSubnet: '127.90.0.0/24' }, { MINATO_LB_SUBNET: '127.91.0.0/24' }).lbSubnet).toBe('127.90.0.0/24');
    expect(resolveConfig({}, { MINATO_LB_SUBNET: '127.91.0.0/24' }).lbSubnet).toBe('127.91.0.0/24');
    expect(resolveConfig({}, {})).not.toHaveProperty('lbSubnet');
    expect(configProblem({ ...DEFAULT_CONFIG, lbSubnet: '127.90.0.0/24' })).toBeUndefined();
    expect(configProblem({ ...DEFAULT_CONFIG, lbSubnet: '127.90.0.0' })).toContain('--lb-subnet');
  });
});

describe('--store', () => {
  it('comes from the flag, else MINATO_STORE; absent or empty means the embedded SQLite store', () => {
    expect(resolveConfig({ store: 'postgres://a@h/db' }, { MINATO_STORE: 'postgres://b@h/db' }).store).toBe('postgres://a@h/db');
    expect(resolveConfig({}, { MINATO_STORE: 'postgresql://b@h:5433/db' }).store).toBe('postgresql://b@h:5433/db');
    expect(resolveConfig({}, { MINATO_STORE: '' })).not.toHaveProperty('store');
    expect(resolveConfig({}, {})).not.toHaveProperty('store');
  });

  it('refuses other schemes and non-URLs without repeating a password', () => {
    expect(configProblem({ ...DEFAULT_CONFIG, store: 'postgres://minato:pw@db.internal:5432/minato' })).toBeUndefined();
    expect(configProblem({ ...DEFAULT_CONFIG, store: 'mysql://u:secret@h/db' })).toBe(
      '--store: unknown scheme "mysql:"; use postgres://user@host:port/database, or leave --store out for the embedded SQLite store',
    );
    expect(configProblem({ ...DEFAULT_CONFIG, store: 'sqlite:./x.db' })).toContain('unknown scheme "sqlite:"');
    expect(configProblem({ ...DEFAULT_CONFIG, store: 'secret@db:5432' })).not.toContain('secret');
    expect(configProblem({ ...DEFAULT_CONFIG, store: 'not a url' })).toContain('--store takes a URL');
  });

  it('logs the location without its password', () => {
    expect(redactedStoreUrl('postgres://minato:s3cret@db:5432/minato')).toBe('postgres://minato:***@db:5432/minato');
    expect(redactedStoreUrl('postgres://minato@db/minato')).toBe('postgres://minato@db/minato');
  });
});

describe('--blob-dir', () => {
  it('comes from the flag, else MINATO_BLOB_DIR; absent or empty means the data dir keeps everything', () => {
    expect(resolveConfig({ blobDir: '/srv/a' }, { MINATO_BLOB_DIR: '/srv/b' }).blobDir).toBe('/srv/a');
    expect(resolveConfig({}, { MINATO_BLOB_DIR: '/srv/b' }).blobDir).toBe('/srv/b');
    expect(resolveConfig({}, { MINATO_BLOB_DIR: '' })).not.toHaveProperty('blobDir');
    expect(resolveConfig({}, {})).not.toHaveProperty('blobDir');
  });

  it('must be an absolute path apart from the data dir', () => {
    expect(configProblem({ ...DEFAULT_CONFIG, dataDir: '/var/lib/minato', blobDir: '/mnt/minato-shared' })).toBeUndefined();
    expect(configProblem({ ...DEFAULT_CONFIG, blobDir: 'shared' })).toBe('--blob-dir must be an absolute path (a directory every replica mounts), got "shared"');
    expect(configProblem({ ...DEFAULT_CONFIG, dataDir: '/var/lib/minato', blobDir: '/var/lib/minato' })).toContain('must be apart from the data dir /var/lib/minato');
    expect(configProblem({ ...DEFAULT_CONFIG, dataDir: '/var/lib/minato', blobDir: '/var/lib/minato/blobs' })).toContain('must be apart from the data dir');
    expect(configProblem({ ...DEFAULT_CONFIG, dataDir: '/mnt/shared/replica-1', blobDir: '/mnt/shared' })).toContain('must be apart from the data dir');
    // A sibling whose name merely starts like the data dir's is apart from it.
    expect(configProblem({ ...DEFAULT_CONFIG, dataDir: '/var/lib/minato', blobDir: '/var/lib/minato-blobs' })).toBeUndefined();
  });
});

describe('--replica', () => {
  it('comes from the flag or MINATO_REPLICA=1, and needs a PostgreSQL store and a blob dir, without local nodes', () => {
    expect(resolveConfig({ replica: true }, {}).replica).toBe(true);
    expect(resolveConfig({}, { MINATO_REPLICA: '1' }).replica).toBe(true);
    expect(resolveConfig({}, { MINATO_REPLICA: '0' })).not.toHaveProperty('replica');
    const store = 'postgres://minato@127.0.0.1:5432/minato';
    const replica = { ...DEFAULT_CONFIG, dataDir: '/var/lib/minato', replica: true, store, blobDir: '/mnt/shared' };
    expect(configProblem(replica)).toBeUndefined();
    expect(configProblem({ ...replica, store: undefined })).toBe('--replica needs --store: replicas share their state on PostgreSQL');
    expect(configProblem({ ...replica, blobDir: undefined })).toBe("--replica needs --blob-dir: replicas share registry blobs and the platform's keys there");
    expect(configProblem({ ...replica, localNodes: DEFAULT_LOCAL_NODES })).toContain('--local-nodes cannot be used with it');
    expect(replicaProblem({ ...replica, blobDir: undefined })).toContain('--blob-dir');
  });
});
