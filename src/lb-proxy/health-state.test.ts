import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { initialHealth, nextHealth } from './health-state.js';
import { parseMatcher, type ProbeResult } from './health-probe.js';
import { servingTargets } from './serving.js';
import type { ProxyTargetGroup } from './proxy-config.js';

const now = new Date(0);
const ok: ProbeResult = { ok: true };
const code500: ProbeResult = { ok: false, failure: 'status', code: 500 };

describe('health state', () => {
  it('stays initial until a threshold is reached, then follows ELB reason codes', () => {
    const t = { healthy: 3, unhealthy: 2 };
    let r = initialHealth(now);
    r = nextHealth(r, ok, t, now);
    r = nextHealth(r, ok, t, now);
    expect(r.state).toBe('initial');
    r = nextHealth(r, ok, t, now);
    expect(r.state).toBe('healthy');
    r = nextHealth(r, code500, t, now);
    expect(r.state).toBe('healthy');
    r = nextHealth(r, code500, t, now);
    expect(r).toMatchObject({ state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]' });
    r = nextHealth(r, { ok: false, failure: 'timeout' }, t, now);
    expect(r).toMatchObject({ state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' });
    expect(nextHealth(initialHealth(now), { ok: false, failure: 'connection' }, { healthy: 2, unhealthy: 1 }, now)).toMatchObject({
      state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: 'Health checks failed',
    });
  });

  it('changes state only after the threshold of consecutive results', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 40 }), fc.integer({ min: 2, max: 10 }), fc.integer({ min: 2, max: 10 }), (results, healthy, unhealthy) => {
        let r = initialHealth(now);
        let run = 0;
        let last: boolean | undefined;
        for (const good of results) {
          run = good === last ? run + 1 : 1;
          last = good;
          const next = nextHealth(r, good ? ok : code500, { healthy, unhealthy }, now);
          if (next.state !== r.state) expect(run).toBe(good ? healthy : unhealthy);
          r = next;
        }
      }),
    );
  });

  it('parses matchers', () => {
    expect([200, 202, 204].map(parseMatcher('200,202'))).toEqual([true, true, false]);
    expect([199, 200, 299, 300].map(parseMatcher('200-299'))).toEqual([false, true, true, false]);
    expect(parseMatcher(undefined)(200)).toBe(true);
    expect(() => parseMatcher('2xx')).toThrow();
  });
});

describe('serving targets', () => {
  const g = (states: string[], draining: boolean[] = []): [ProxyTargetGroup, (t: { id: string }) => 'initial' | 'healthy' | 'unhealthy'] => [
    {
      healthCheck: { enabled: true },
      targets: states.map((_, i) => ({ id: String(i), address: '10.0.0.1', port: 80 + i, draining: draining[i] ?? false })),
    } as ProxyTargetGroup,
    (t) => states[Number(t.id)] as 'initial' | 'healthy' | 'unhealthy',
  ];
  const ids = (args: ReturnType<typeof g>): string[] => servingTargets(...args).map((t) => t.id);

  it('serves the healthy, fails open when all are unhealthy, never serves initial or draining ones', () => {
    expect(ids(g(['healthy', 'unhealthy', 'initial']))).toEqual(['0']);
    expect(ids(g(['unhealthy', 'unhealthy']))).toEqual(['0', '1']);
    expect(ids(g(['unhealthy', 'initial']))).toEqual([]);
    expect(ids(g(['initial']))).toEqual([]);
    expect(ids(g(['healthy', 'healthy'], [true, false]))).toEqual(['1']);
    expect(ids(g(['unhealthy', 'unhealthy'], [false, true]))).toEqual(['0']);
  });
});
