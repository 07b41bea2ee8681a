import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { onLink, routeSource, SubnetRouteTable, type AddressedInstance, type IpResult } from './subnet-route-table.js';

/** A kernel route table as `ip` shows it, for the commands the table runs. */
class FakeIp {
  routes = new Map<string, string>();
  /** Addresses reached through a gateway rather than on a link. */
  offLink = new Set<string>();
  calls: string[] = [];
  run = async (args: readonly string[]): Promise<IpResult> => {
    this.calls.push(args.join(' '));
    const ok = (stdout = ''): IpResult => ({ code: 0, stdout, stderr: '' });
    if (args[1] === 'route' && args[2] === 'get') return ok(this.offLink.has(args[3]!) ? `${args[3]} via 192.0.2.1 dev eth0 src 192.0.2.2\n` : `${args[3]} dev br0 src 10.216.0.1\n`);
    if (args[0] === 'route' && args[1] === 'add') {
      if (this.routes.has(args[2]!)) return { code: 2, stdout: '', stderr: 'RTNETLINK answers: File exists' };
      this.routes.set(args[2]!, args[4]!);
      return ok();
    }
    if (args[0] === 'route' && args[1] === 'del') {
      if (this.routes.get(args[2]!) !== args[4]) return { code: 2, stdout: '', stderr: 'RTNETLINK answers: No such process' };
      this.routes.delete(args[2]!);
      return ok();
    }
    if (args[1] === 'route' && args[2] === 'show') {
      const via = this.routes.get(args[4]!);
      return ok(via ? `${args[4]} via ${via} dev br0 \n` : '');
    }
    throw new Error(`unexpected ip ${args.join(' ')}`);
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function table(ip: FakeIp, instances: () => AddressedInstance[]) {
  const dir = mkdtempSync(join(tmpdir(), 'routes-'));
  dirs.push(dir);
  const warnings: string[] = [];
  const stateFile = join(dir, 'lb', 'agent-routes.json');
  const make = () =>
    new SubnetRouteTable({
      stateFile,
      instances: async () => instances(),
      own: ['10.213.0.0/16'],
      log: { warn: (_d, m) => warnings.push(m), info: () => undefined },
      ip: ip.run,
    });
  return { make, stateFile, warnings };
}

const inst = (n: number, extra: Partial<AddressedInstance> = {}): AddressedInstance => ({
  containerInstanceArn: `arn:aws:ecs:us-east-1:000000000000:container-instance/c/id${n}`,
  ids: [`id${n}`, `i-${n}`],
  registered: true,
  address: `10.216.0.${10 + n}`,
  taskSubnet: `10.217.${n}.0/24`,
  ...extra,
});

describe('the control host\'s routes to agents', () => {
  it('tells on-link addresses from routed ones', () => {
    expect(onLink('10.216.0.11 dev br0 src 10.216.0.1 uid 0 \n    cache \n')).toBe(true);
    expect(onLink('10.9.9.9 via 192.0.2.1 dev eth0 src 192.0.2.2 uid 0\n')).toBe(false);
    expect(onLink('local 10.216.0.1 dev lo src 10.216.0.1 uid 0\n')).toBe(false);
    expect(routeSource('10.216.0.11 dev br0 src 10.216.0.1 uid 0 \n    cache \n')).toBe('10.216.0.1');
    expect(routeSource('10.216.0.11 dev br0 uid 0\n')).toBeUndefined();
  });

  it('adds a route per registered agent, knows their addresses, and removes a deregistered one\'s', async () => {
    const ip = new FakeIp();
    let instances = [inst(1), inst(2)];
    const { make, stateFile } = table(ip, () => instances);
    const routes = make();
    await routes.reconcile();
    expect(Object.fromEntries(ip.routes)).toEqual({ '10.217.1.0/24': '10.216.0.11', '10.217.2.0/24': '10.216.0.12' });
    expect(routes.addressOf('id2')).toBe('10.216.0.12');
    expect(routes.addressOf('i-1')).toBe('10.216.0.11');
    expect(routes.addressOf('other')).toBeUndefined();
    expect(routes.sourceToward('id2')).toBe('10.216.0.1');
    expect(routes.sourceToward('other')).toBeUndefined();
    instances = [inst(1), inst(2, { registered: false })];
    await routes.reconcile();
    expect(Object.fromEntries(ip.routes)).toEqual({ '10.217.1.0/24': '10.216.0.11' });
    expect(routes.addressOf('id2')).toBeUndefined();
    expect(routes.sourceToward('id2')).toBeUndefined();
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ routes: [{ subnet: '10.217.1.0/24', via: '10.216.0.11' }] });
    await routes.close();
    expect(ip.routes.size).toBe(0);
    expect(existsSync(stateFile)).toBe(false);
  });

  it('after a crash, a new table removes the recorded routes no longer wanted', async () => {
    const ip = new FakeIp();
    let instances = [inst(1), inst(2)];
    const { make } = table(ip, () => instances);
    await make().reconcile();
    // The first table is gone without closing; the second finds its record.
    instances = [inst(2)];
    const next = make();
    await next.reconcile();
    expect(Object.fromEntries(ip.routes)).toEqual({ '10.217.2.0/24': '10.216.0.12' });
    await next.close();
    expect(ip.routes.size).toBe(0);
  });

  it('leaves routes it did not add alone, and skips agents not on a link with this host', async () => {
    const ip = new FakeIp();
    ip.routes.set('10.217.1.0/24', '10.216.0.99');
    ip.offLink.add('10.216.0.12');
    const { make, warnings } = table(ip, () => [inst(1), inst(2)]);
    const routes = make();
    await routes.reconcile();
    await routes.reconcile();
    expect(Object.fromEntries(ip.routes)).toEqual({ '10.217.1.0/24': '10.216.0.99' });
    expect(warnings).toHaveLength(2);
    expect(warnings.some((w) => w.includes('not on a directly connected link'))).toBe(true);
    expect(warnings.some((w) => w.includes('File exists'))).toBe(true);
    await routes.close();
    expect(Object.fromEntries(ip.routes)).toEqual({ '10.217.1.0/24': '10.216.0.99' });
  });
});
