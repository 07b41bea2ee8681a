import { describe, expect, it } from 'vitest';
import type { TaskReport } from '../../agent-contract/protocol.js';
import { ReportQueue } from './report-queue.js';

const r = (taskArn: string, lastStatus: string): TaskReport => ({ taskArn, change: { lastStatus } });

describe('ReportQueue', () => {
  it('holds reports until a sender is set, then sends them in order', async () => {
    const q = new ReportQueue();
    q.push(r('a', 'PENDING'));
    q.push(r('a', 'RUNNING'));
    const sent: string[] = [];
    q.setSender(async (batch) => {
      sent.push(...batch.map((x) => `${x.taskArn} ${x.change.lastStatus}`));
      return batch.length;
    });
    expect(await q.drain(2_000)).toBe(true);
    expect(sent).toEqual(['a PENDING', 'a RUNNING']);
  });

  it('retries failures and partial acknowledgements without losing or reordering', async () => {
    const q = new ReportQueue({ retryDelayMs: 5, batch: 3 });
    for (let i = 0; i < 7; i++) q.push(r('t', String(i)));
    const applied: string[] = [];
    let calls = 0;
    q.setSender(async (batch) => {
      calls++;
      if (calls % 2 === 1) throw new Error('unreachable');
      // Apply only the first of each batch.
      applied.push(batch[0]!.change.lastStatus!);
      return 1;
    });
    expect(await q.drain(5_000)).toBe(true);
    expect(applied).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it('drops the reports of a forgotten task', async () => {
    const q = new ReportQueue();
    q.push(r('a', 'PENDING'));
    q.push(r('b', 'PENDING'));
    q.drop('a');
    const sent: string[] = [];
    q.setSender(async (batch) => {
      sent.push(...batch.map((x) => x.taskArn));
      return batch.length;
    });
    await q.drain(2_000);
    expect(sent).toEqual(['b']);
  });
});
