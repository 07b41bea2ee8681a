import { describe, expect, it } from 'vitest';
import type { LoadBalancerDataPlane, ProxyConfig } from '../lb-proxy/proxy-config.js';
import type { Scope } from '../lib/scope.js';
import { MemoryStore } from '../store/memory-store.js';
import { parseSubnet } from './addresses.js';
import { createElbDomain, type ElbDeps } from './elb-domain.js';

/** A data plane whose applies can be made to fail. */
class RecordingDataPlane implements LoadBalancerDataPlane {
  configs: ProxyConfig[] = [];
  failing = false;
  apply(config: ProxyConfig): Promise<void> {
    if (this.failing) return Promise.reject(new Error('the proxy is down'));
    this.configs.push(config);
    return Promise.resolve();
  }
  targetHealth() {
    return [];
  }
  onHealthChange(): void {}
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const T0 = Date.parse('2026-01-01T00:00:00Z');

function setup(store = new MemoryStore(), subnet = '127.77.0.0/16') {
  let now = T0;
  const dataPlane = new RecordingDataPlane();
  const errors: unknown[] = [];
  const deps: ElbDeps = {
    store,
    dataPlane,
    certificates: { exists: () => Promise.resolve(false), material: () => Promise.resolve(undefined) },
    instanceAddress: (id) => (id === 'i-0123456789abcdef0' ? '10.9.0.1' : undefined),
    subnet: parseSubnet(subnet),
    clock: () => new Date(now),
    onError: (err) => errors.push(err),
  };
  const elb = createElbDomain(deps);
  const scope = (): Scope => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date(now) });
  return { elb, store, dataPlane, errors, scope, advance: (ms: number) => (now += ms), setNow: (ms: number) => (now = ms) };
}

const SUBNETS = ['subnet-00000001', 'subnet-00000002'];

async function usedGroup(t: ReturnType<typeof setup>, delaySeconds: string) {
  const lb = await t.elb.loadBalancers.create(t.scope(), { name: 'web', subnets: SUBNETS });
  const tg = await t.elb.targetGroups.create(t.scope(), { name: 'api', protocol: 'HTTP', port: 80, vpcId: 'vpc-00000001', targetType: 'ip', healthCheck: {} });
  await t.elb.targetGroups.modifyAttributes(t.scope(), tg.arn, [{ Key: 'deregistration_delay.timeout_seconds', Value: delaySeconds }]);
  await t.elb.listeners.create(t.scope(), lb.arn, { protocol: 'HTTP', port: 80, defaultActions: [{ Type: 'forward', TargetGroupArn: tg.arn }] });
  await t.elb.targetGroups.register(t.scope(), tg.arn, [{ id: '10.0.0.1' }, { id: '10.0.0.2' }]);
  return { lb, tg };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the ELB domain', () => {
  it('commits first: a failed apply leaves the load balancer provisioning, and the next apply makes it active', async () => {
    const t = setup();
    t.dataPlane.failing = true;
    const lb = await t.elb.loadBalancers.create(t.scope(), { name: 'web', subnets: SUBNETS });
    expect(t.errors).toHaveLength(1);
    expect((await t.elb.loadBalancers.describe(t.scope(), {})).items.map((l) => l.state)).toEqual(['provisioning']);
    t.dataPlane.failing = false;
    await t.elb.start();
    expect((await t.elb.loadBalancers.describe(t.scope(), { arns: [lb.arn] })).items.map((l) => l.state)).toEqual(['active']);
    expect(t.dataPlane.configs.at(-1)!.loadBalancers.map((l) => l.arn)).toEqual([lb.arn]);
    await t.elb.close();
  });

  it('gives each load balancer its own address, frees it on delete, and refuses one when the subnet is full', async () => {
    const t = setup(new MemoryStore(), '127.77.0.0/30');
    const a = await t.elb.loadBalancers.create(t.scope(), { name: 'a', subnets: SUBNETS });
    const b = await t.elb.loadBalancers.create(t.scope(), { name: 'b', type: 'network', subnets: SUBNETS.slice(0, 1) });
    expect([a.address, b.address]).toEqual(['127.77.0.1', '127.77.0.2']);
    await expect(t.elb.loadBalancers.create(t.scope(), { name: 'c', subnets: SUBNETS })).rejects.toMatchObject({ kind: 'LimitExceeded', subject: 'load-balancers' });
    await t.elb.loadBalancers.delete(t.scope(), a.arn);
    expect((await t.elb.loadBalancers.create(t.scope(), { name: 'c', subnets: SUBNETS })).address).toBe('127.77.0.1');
    await t.elb.close();
  });

  it('drains a deregistered target until its delay ends, then removes it', async () => {
    const t = setup();
    const { tg } = await usedGroup(t, '1');
    await t.elb.targetGroups.deregister(t.scope(), tg.arn, [{ id: '10.0.0.1' }]);
    expect((await t.elb.targetGroups.health(t.scope(), tg.arn)).map((h) => [h.id, h.health.state])).toEqual([['10.0.0.1', 'draining'], ['10.0.0.2', 'initial']]);
    expect(t.dataPlane.configs.at(-1)!.targetGroups[0]!.targets.map((x) => [x.id, x.draining])).toEqual([['10.0.0.1', true], ['10.0.0.2', false]]);
    // The timer fires at the drain's end by the domain's clock.
    t.advance(1000);
    await sleep(1100);
    expect((await t.elb.targetGroups.health(t.scope(), tg.arn)).map((h) => h.id)).toEqual(['10.0.0.2']);
    expect(t.dataPlane.configs.at(-1)!.targetGroups[0]!.targets.map((x) => x.id)).toEqual(['10.0.0.2']);
    expect(t.errors).toEqual([]);
    await t.elb.close();
  });

  it('takes a draining target back when it is registered again', async () => {
    const t = setup();
    const { tg } = await usedGroup(t, '300');
    await t.elb.targetGroups.deregister(t.scope(), tg.arn, [{ id: '10.0.0.1' }]);
    await t.elb.targetGroups.register(t.scope(), tg.arn, [{ id: '10.0.0.1' }]);
    expect((await t.elb.targetGroups.health(t.scope(), tg.arn)).map((h) => h.health.state)).toEqual(['initial', 'initial']);
    await t.elb.close();
  });

  it('finishes at start the drains that ended while it was down, and keeps those still running', async () => {
    const store = new MemoryStore();
    const first = setup(store);
    const { tg } = await usedGroup(first, '60');
    await first.elb.targetGroups.deregister(first.scope(), tg.arn, [{ id: '10.0.0.1' }]);
    await first.elb.targetGroups.modifyAttributes(first.scope(), tg.arn, [{ Key: 'deregistration_delay.timeout_seconds', Value: '600' }]);
    await first.elb.targetGroups.deregister(first.scope(), tg.arn, [{ id: '10.0.0.2' }]);
    await first.elb.close();

    const second = setup(store);
    second.setNow(T0 + 120_000);
    await second.elb.start();
    const health = await second.elb.targetGroups.health(second.scope(), tg.arn);
    expect(health.map((h) => [h.id, h.health.state])).toEqual([['10.0.0.2', 'draining']]);
    expect(second.dataPlane.configs.at(-1)!.targetGroups[0]!.targets.map((x) => x.id)).toEqual(['10.0.0.2']);
    await second.elb.close();
  });

  it('lets targets of an unused group go at once, and resolves instance targets through the injected lookup', async () => {
    const t = setup();
    const tg = await t.elb.targetGroups.create(t.scope(), { name: 'inst', protocol: 'HTTP', port: 80, vpcId: 'vpc-00000001', healthCheck: {} });
    await t.elb.targetGroups.register(t.scope(), tg.arn, [{ id: 'i-0123456789abcdef0', port: 8080 }]);
    expect(t.dataPlane.configs.at(-1)!.targetGroups[0]!.targets).toEqual([{ id: 'i-0123456789abcdef0', address: '10.9.0.1', port: 8080, draining: false }]);
    await expect(t.elb.targetGroups.register(t.scope(), tg.arn, [{ id: 'i-00000000000000000' }])).rejects.toMatchObject({ subject: 'target' });
    await t.elb.targetGroups.deregister(t.scope(), tg.arn, [{ id: 'i-0123456789abcdef0', port: 8080 }]);
    expect(await t.elb.targetGroups.health(t.scope(), tg.arn)).toEqual([]);
    await t.elb.close();
  });

  it('offers the ECS integration its four calls', async () => {
    const t = setup();
    const { tg } = await usedGroup(t, '0');
    const ecs = t.elb.forServices;
    expect(await ecs.describeTargetGroup(t.scope(), tg.arn)).toMatchObject({ port: 80, protocol: 'HTTP', targetType: 'ip', loadBalancerArns: [expect.stringContaining(':loadbalancer/app/web/')] });
    await ecs.registerTargets(t.scope(), tg.arn, [{ id: '10.0.0.3', port: 32768 }]);
    expect((await ecs.targetHealth(t.scope(), tg.arn, [{ id: '10.0.0.3', port: 32768 }]))[0]!.health.state).toBe('initial');
    await ecs.deregisterTargets(t.scope(), tg.arn, [{ id: '10.0.0.3', port: 32768 }]);
    expect((await ecs.targetHealth(t.scope(), tg.arn, [{ id: '10.0.0.3', port: 32768 }]))[0]!.health).toMatchObject({ state: 'unused', reason: 'Target.NotRegistered' });
    await expect(ecs.describeTargetGroup(t.scope(), tg.arn.replace(/.{4}$/, 'ffff'))).rejects.toMatchObject({ kind: 'NotFound', subject: 'target-group' });
    await t.elb.close();
  });

  it('keeps resources of one region and account out of another', async () => {
    const t = setup();
    const lb = await t.elb.loadBalancers.create(t.scope(), { name: 'web', subnets: SUBNETS });
    const elsewhere = { ...t.scope(), region: 'eu-west-1' };
    expect((await t.elb.loadBalancers.describe(elsewhere, {})).items).toEqual([]);
    await expect(t.elb.loadBalancers.describe(elsewhere, { arns: [lb.arn] })).rejects.toMatchObject({ kind: 'NotFound', subject: 'load-balancer' });
    // The same name is free in another region.
    await t.elb.loadBalancers.create(elsewhere, { name: 'web', subnets: SUBNETS });
    await t.elb.close();
  });
});

describe('paging', () => {
  it('pages a listener\'s rules in priority order, the default rule last', async () => {
    const t = setup();
    const lb = await t.elb.loadBalancers.create(t.scope(), { name: 'web', subnets: SUBNETS });
    const listener = await t.elb.listeners.create(t.scope(), lb.arn, { protocol: 'HTTP', port: 80, defaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] });
    for (const priority of [30, 10, 20]) {
      await t.elb.rules.create(t.scope(), { listenerArn: listener.arn, priority, conditions: [{ Field: 'path-pattern', Values: [`/${priority}`] }], actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] });
    }
    const seen: Array<number | 'default'> = [];
    let marker: string | undefined;
    do {
      const page = await t.elb.rules.describe(t.scope(), { listenerArn: listener.arn, pageSize: 3, ...(marker !== undefined && { marker }) });
      seen.push(...page.items.map((r) => r.priority));
      marker = page.nextMarker;
    } while (marker !== undefined);
    expect(seen).toEqual([10, 20, 30, 'default']);
    await expect(t.elb.rules.describe(t.scope(), { listenerArn: listener.arn, marker: 'forged' })).rejects.toMatchObject({ kind: 'InvalidArgument' });
    await t.elb.close();
  });
});
