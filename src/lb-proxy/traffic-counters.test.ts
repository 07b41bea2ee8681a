import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ProxyCounters, type StatReading, zeroCounters } from './haproxy-stats.js';
import { accumulate, advanceCounters, type CounterState, difference, initialCounterState } from './traffic-counters.js';

const reading = (workerPid: number, requests: number, connections = requests): StatReading => ({
  workerPid,
  rows: [{ kind: 'frontend', proxy: 'ln-a', name: 'FRONTEND', counters: { ...zeroCounters(), requests, connections }, current: 0, responseTimeMs: 0 }],
});
const KEY = 'frontend/ln-a/FRONTEND';

type Op = { op: 'serve'; n: number } | { op: 'read' } | { op: 'reload' } | { op: 'crash' } | { op: 'stale' };
const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('serve' as const), n: fc.integer({ min: 0, max: 1000 }) }),
    fc.constant<Op>({ op: 'read' }),
    fc.constant<Op>({ op: 'reload' }),
    fc.constant<Op>({ op: 'crash' }),
    fc.constant<Op>({ op: 'stale' }),
  ),
  { maxLength: 60 },
);

describe('per-period traffic from cumulative counters', () => {
  it('counts every request a worker served exactly once across readings, reloads and late answers of replaced workers', () => {
    fc.assert(
      fc.property(ops, (script) => {
        let state: CounterState | undefined = initialCounterState(true);
        const counted = new Map<string, ProxyCounters>();
        let worker = { pid: 100, requests: 0 };
        const retired: Array<{ pid: number; requests: number }> = [];
        let served = 0;
        let lost = 0;
        let readUpTo = 0;
        const read = (r: StatReading) => {
          const next = advanceCounters(state, r);
          state = next.state;
          accumulate(counted, next.deltas);
        };
        for (const step of script) {
          if (step.op === 'serve') {
            worker.requests += step.n;
            served += step.n;
          } else if (step.op === 'read') {
            read(reading(worker.pid, worker.requests));
            readUpTo = worker.requests;
          } else if (step.op === 'reload') {
            // The data plane reads the old worker just before every reload.
            read(reading(worker.pid, worker.requests));
            retired.push(worker);
            worker = { pid: worker.pid + 1, requests: 0 };
            readUpTo = 0;
          } else if (step.op === 'crash') {
            // A worker that dies unread takes what it counted since the last reading with it.
            // (and, being dead, never answers late).
            lost += worker.requests - readUpTo;
            worker = { pid: worker.pid + 1, requests: 0 };
            readUpTo = 0;
          } else if (retired.length > 0) {
            // A replaced worker answering late.
            const old = retired[retired.length - 1]!;
            read(reading(old.pid, old.requests));
          }
        }
        read(reading(worker.pid, worker.requests));
        expect(counted.get(KEY)?.requests ?? 0).toBe(served - lost);
      }),
    );
  });

  it('takes an adopted worker’s counters as the baseline, not as this period’s', () => {
    const first = advanceCounters(initialCounterState(false), reading(7, 500));
    expect(first.deltas.size).toBe(0);
    const second = advanceCounters(first.state, reading(7, 520));
    expect(second.deltas.get(KEY)?.requests).toBe(20);
  });

  it('counts a counter that went down within one worker from zero', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), (before, now) => {
        const d = difference({ ...zeroCounters(), requests: now }, { ...zeroCounters(), requests: before });
        expect(d.requests).toBe(now >= before ? now - before : now);
        expect(d.requests).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
