import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { currentFence } from '../store/fence.js';
import { Leadership, type Lease, type LeaderWork } from './leadership.js';

const logger = pino({ level: 'silent' });

function recorder(log: string[], names: string[]): LeaderWork[] {
  return names.map((name) => ({
    name,
    start: () => void log.push(`start ${name} ${String(currentFence()?.token)}`),
    stop: async () => void log.push(`stop ${name}`),
  }));
}

class FakeLease implements Lease {
  leader = false;
  token = 1;
  stopped = 0;
  isLeader = () => this.leader;
  fence = () => (this.leader ? { name: 'minato', holder: 'me', token: this.token } : undefined);
  stop = async () => void this.stopped++;
}

const tick = () => new Promise((r) => setTimeout(r, 40));

describe('Leadership', () => {
  it('runs the work from start to stop without a lease (the embedded store: one process always leads)', async () => {
    const log: string[] = [];
    const leadership = new Leadership(undefined, recorder(log, ['a', 'b']), logger);
    await leadership.start();
    expect(leadership.leading).toBe(true);
    await leadership.stop();
    expect(log).toEqual(['start a undefined', 'start b undefined', 'stop b', 'stop a']);
  });

  it('starts the work, fenced, when the lease is gained, stops it in reverse when lost, and again', async () => {
    const log: string[] = [];
    const lease = new FakeLease();
    const leadership = new Leadership(lease, recorder(log, ['a', 'b']), logger, 10);
    await leadership.start();
    expect(log).toEqual([]);
    lease.leader = true;
    await tick();
    expect(log).toEqual(['start a 1', 'start b 1']);
    lease.leader = false;
    await tick();
    expect(log.slice(2)).toEqual(['stop b', 'stop a']);
    lease.token = 2;
    lease.leader = true;
    await tick();
    expect(log.slice(4)).toEqual(['start a 2', 'start b 2']);
    await leadership.stop();
    expect(log.slice(6)).toEqual(['stop b', 'stop a']);
    expect(lease.stopped).toBe(1);
    // Stopped for good: a lease seen again starts nothing.
    await tick();
    expect(log).toHaveLength(8);
  });

  it('keeps stopping the rest when one work fails to stop', async () => {
    const log: string[] = [];
    const lease = new FakeLease();
    lease.leader = true;
    const work = recorder(log, ['a', 'b']);
    work[1]!.stop = () => Promise.reject(new Error('stuck'));
    const leadership = new Leadership(lease, work, logger, 10);
    await leadership.start();
    await leadership.stop();
    expect(log).toEqual(['start a 1', 'start b 1', 'stop a']);
  });
});
