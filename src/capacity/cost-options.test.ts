import { describe, expect, it } from 'vitest';
import { shippedCatalog } from './catalog.fixtures.js';
import { costOptions, toCents } from './cost-options.js';
import { taskShape } from './task-definition.js';

const catalog = shippedCatalog();
/** 2 vCPU; the container may use 4 GiB but reserves 3.5 GiB: Fargate bills 2 vCPU / 4 GB. */
const web = taskShape({ family: 'web', cpu: '2048', containerDefinitions: [{ name: 'app', image: 'x', memory: 4096, memoryReservation: 3584 }] });
/** Reserves the full 4 GiB. */
const web4 = taskShape({ family: 'web4', cpu: '2048', memory: '4096', containerDefinitions: [{ name: 'app', image: 'x' }] });
const byId = (opts: ReturnType<typeof costOptions>) => Object.fromEntries(opts.map((o) => [o.id, o]));

describe('costOptions', () => {
  it('reproduces the reference: Tokyo, 732 h, c7i.large 82.24 USD and Fargate 90.21 USD', () => {
    const o = byId(costOptions({ items: [{ shape: web, count: 1 }], catalog, region: 'ap-northeast-1', hoursPerMonth: 732, instanceType: 'c7i.large' }));
    expect(o['ec2-on-demand-x86_64']!.monthlyUsd).toBe(82.24);
    expect(o['ec2-on-demand-x86_64']!.detail).toBe('1 x c7i.large');
    expect(o['ec2-on-demand-x86_64']!.basis).toBe('measured');
    expect(o['fargate-x86_64']!.monthlyUsd).toBe(90.21);
    expect(o['fargate-x86_64']!.detail).toBe('1 x web 2 vCPU/4 GB');
  });

  it('says a 4 GiB reservation does not fit a 4 GiB instance under ECS, unless the OS share is set to 0', () => {
    const pinned = byId(costOptions({ items: [{ shape: web4, count: 1 }], catalog, region: 'ap-northeast-1', hoursPerMonth: 732, instanceType: 'c7i.large' }));
    expect(pinned['ec2-on-demand-x86_64']!.monthlyUsd).toBeNull();
    expect(pinned['ec2-on-demand-x86_64']!.notes.join(' ')).toMatch(/needs 2048 CPU units, 4096 MiB.*c7i.large, lets tasks reserve 2048 CPU units, 3992 MiB/);
    const raw = byId(costOptions({ items: [{ shape: web4, count: 1 }], catalog, region: 'ap-northeast-1', hoursPerMonth: 732, instanceType: 'c7i.large', model: { osMemoryFraction: 1, reservedMemoryMiB: 0 } }));
    expect(raw['ec2-on-demand-x86_64']!.monthlyUsd).toBe(82.24);
  });

  it('prices every option, bin-packs many tasks, and marks derived prices with their rules', () => {
    const opts = costOptions({ items: [{ shape: web, count: 40 }], catalog, region: 'ap-northeast-1', hoursPerMonth: 730 });
    expect(opts.map((x) => x.id)).toEqual([
      'fargate-x86_64', 'fargate-spot-x86_64', 'fargate-arm64', 'fargate-spot-arm64',
      'ec2-on-demand-x86_64', 'ec2-spot-x86_64', 'ec2-on-demand-arm64', 'ec2-spot-arm64',
    ]);
    for (const x of opts) expect(x.monthlyUsd).toBeGreaterThan(0);
    const o = byId(opts);
    expect(o['fargate-x86_64']!.monthlyUsd).toBe(toCents(40 * (2 * 0.00001404 + 4 * 0.000001538) * 3600 * 730));
    expect(o['fargate-spot-x86_64']!.rules).toEqual(['fargate-spot-ratio']);
    // Bin-packing beats one instance per task.
    expect(o['ec2-on-demand-x86_64']!.monthlyUsd!).toBeLessThan(40 * 0.11235 * 730);
    expect(o['ec2-spot-arm64']!.monthlyUsd!).toBeLessThan(o['ec2-on-demand-arm64']!.monthlyUsd!);
  });

  it('rejects unknown regions and instance types', () => {
    expect(() => costOptions({ items: [{ shape: web, count: 1 }], catalog, region: 'mars-1', hoursPerMonth: 730 })).toThrow(/no prices for region/);
    expect(() => costOptions({ items: [{ shape: web, count: 1 }], catalog, region: 'us-east-1', hoursPerMonth: 730, instanceType: 'z9.huge' })).toThrow(/not in the us-east-1 catalog/);
  });

  it('rounds to the cent robustly', () => {
    expect(toCents(82.2402)).toBe(82.24);
    expect(toCents(90.2081664)).toBe(90.21);
    expect(toCents(0.125)).toBe(0.13);
  });
});
