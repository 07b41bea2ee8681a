import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { overlaps, parseCidr, planSubnetRoutes, routeChanges, type RoutedInstance } from './subnet-routes.js';

const agent = (n: number, extra: Partial<RoutedInstance> = {}): RoutedInstance => ({
  containerInstanceArn: `arn:aws:ecs:us-east-1:000000000000:container-instance/c/${n}`,
  registered: true,
  address: `10.216.0.${10 + n}`,
  taskSubnet: `10.217.${n}.0/24`,
  ...extra,
});

describe('routes to agents\' task subnets', () => {
  it('parses subnets with zero host bits only', () => {
    expect(parseCidr('10.217.3.0/24')).toEqual({ network: (10 * 256 ** 3 + 217 * 256 ** 2 + 3 * 256) >>> 0, prefix: 24 });
    expect(parseCidr('10.217.3.1/24')).toBeUndefined();
    expect(parseCidr('10.217.3.0/33')).toBeUndefined();
    expect(parseCidr('10.217.3.0')).toBeUndefined();
    expect(parseCidr('300.1.1.0/24')).toBeUndefined();
  });

  it('routes each registered agent\'s subnet via its address', () => {
    const { routes, skipped } = planSubnetRoutes([agent(2), agent(1), agent(3, { registered: false }), agent(4, { address: undefined })], ['10.213.0.0/16']);
    expect(routes).toEqual([
      { subnet: '10.217.1.0/24', via: '10.216.0.11' },
      { subnet: '10.217.2.0/24', via: '10.216.0.12' },
    ]);
    expect(skipped).toEqual([]);
  });

  it('skips a subnet overlapping the control host\'s, an earlier agent\'s, or holding the agent\'s own address; and loopback agents', () => {
    const { routes, skipped } = planSubnetRoutes(
      [
        agent(1, { taskSubnet: '10.213.5.0/24' }),
        agent(2, { taskSubnet: '10.217.0.0/16' }),
        agent(3),
        agent(4, { address: '10.217.9.9', taskSubnet: '10.217.9.0/24' }),
        agent(5, { address: '127.0.0.1', taskSubnet: '10.220.0.0/24' }),
      ],
      ['10.213.0.0/16'],
    );
    expect(routes).toEqual([{ subnet: '10.217.0.0/16', via: '10.216.0.12' }]);
    expect(skipped.map((s) => s.containerInstanceArn.split('/').pop())).toEqual(['1', '3', '4', '5']);
  });

  it('never plans two overlapping routes, whatever the agents report', () => {
    const cidr = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 22, max: 26 })).map(([a, b, p]) => `10.${a}.${b * 4}.0/${p}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(cidr, fc.integer({ min: 1, max: 250 })), { maxLength: 8 }), (list) => {
        const { routes } = planSubnetRoutes(list.map(([subnet, host], i) => agent(i, { taskSubnet: subnet, address: `192.168.0.${host}` })), []);
        for (const [i, a] of routes.entries()) for (const b of routes.slice(i + 1)) expect(overlaps(parseCidr(a.subnet)!, parseCidr(b.subnet)!)).toBe(false);
      }),
    );
  });

  it('adds what is missing and removes what is no longer wanted', () => {
    const a = { subnet: '10.217.1.0/24', via: '10.216.0.11' };
    const b = { subnet: '10.217.2.0/24', via: '10.216.0.12' };
    const moved = { subnet: '10.217.2.0/24', via: '10.216.0.13' };
    expect(routeChanges([a, b], [a, moved])).toEqual({ add: [moved], remove: [b] });
    expect(routeChanges([a], [a])).toEqual({ add: [], remove: [] });
  });
});
