import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContainerStats } from '../runtime/runtime.js';
import { hostSampleReader, parseIoServiceBytes, parseNetDev } from './container-samples.js';

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
  eth0:   52000     400    1    2    0     0          0         0    31000     300    3    4    0     0       0          0
`;

describe('parseNetDev', () => {
  it('sums every interface but loopback', () => {
    expect(parseNetDev(NET_DEV)).toEqual({ rxBytes: 52000, rxPackets: 400, rxErrors: 1, rxDropped: 2, txBytes: 31000, txPackets: 300, txErrors: 3, txDropped: 4 });
  });
});

describe('parseIoServiceBytes', () => {
  it('sums Read and Write over devices, ignoring totals', () => {
    const text = '8:0 Read 4096\n8:0 Write 100\n8:0 Sync 0\n8:0 Total 4196\n8:16 Read 10\n8:16 Write 20\nTotal 4226\n';
    expect(parseIoServiceBytes(text)).toEqual({ readBytes: 4106, writeBytes: 120 });
  });
});

describe('hostSampleReader', () => {
  const proc = mkdtempSync(join(tmpdir(), 'minato-proc-'));
  afterAll(() => rmSync(proc, { recursive: true, force: true }));
  mkdirSync(join(proc, '4242', 'net'), { recursive: true });
  writeFileSync(join(proc, '4242', 'net', 'dev'), NET_DEV);
  const stats: ContainerStats = {
    readAt: new Date(1000),
    cpuUsageNs: 5e9,
    cpuPerCpuNs: [],
    systemCpuUsageNs: 0,
    onlineCpus: 2,
    memoryUsageBytes: 300 * 1024 * 1024,
    memoryMaxUsageBytes: 0,
    memoryLimitBytes: 0,
    memoryStat: { total_inactive_file: 100 * 1024 * 1024 },
    pids: 1,
  };

  it('reads cpu and memory less inactive file pages, and the namespace counters', async () => {
    const read = hostSampleReader({ stats: async () => stats, status: async () => ({ status: 'running', pid: 4242 }) }, proc);
    // No cgroup file under this fake /proc: storage is left out, not invented.
    expect(await read('c1')).toEqual({ readAt: 1000, cpuUsageNs: 5e9, memoryBytes: 200 * 1024 * 1024, network: parseNetDev(NET_DEV) });
  });

  it('answers nothing for a container that is not running', async () => {
    expect(await hostSampleReader({ stats: async () => undefined, status: async () => undefined }, proc)('c2')).toBeUndefined();
    expect(await hostSampleReader({ stats: async () => stats, status: async () => ({ status: 'stopped' }) }, proc)('c3')).toBeUndefined();
  });
});
