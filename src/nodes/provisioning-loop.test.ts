import { describe, expect, it } from 'vitest';
import { shippedCatalog } from '../capacity/catalog.fixtures.js';
import { offeringsOf } from '../capacity/offerings.js';
import { Arch, type Offering } from '../capacity/types.js';
import { controlPlaneReads } from '../control/control-plane-reads.js';
import { createEcsControl } from '../control/ecs-control.js';
import type { TaskAgent } from '../agent-contract/task-contract.js';
import { MemoryStore } from '../store/memory-store.js';
import { NODE_ATTRIBUTE, type NodeInfo, type NodeProvider, type NodeSpec } from './node-provider.js';
import { ProvisioningLoop } from './provisioning-loop.js';

const catalog = shippedCatalog();
const offerings = (region: string): Offering[] => offeringsOf(catalog.regions.get(region)!, catalog.types);

/** A node provider that records launches and never starts anything. */
class FakeProvider implements NodeProvider {
  readonly architectures = [Arch.X86_64] as const;
  readonly launched: NodeInfo[] = [];
  readonly terminated: string[] = [];
  constructor(readonly maxNodes = 10) {}
  nodes(): NodeInfo[] {
    return this.launched.filter((n) => !this.terminated.includes(n.id));
  }
  async launch(spec: NodeSpec): Promise<NodeInfo> {
    const n = { ...spec, id: `node-${this.launched.length + 1}`, launchedAt: now.getTime() };
    this.launched.push(n);
    return n;
  }
  async terminate(id: string): Promise<void> {
    this.terminated.push(id);
  }
}

const agent: TaskAgent = { launch: () => {}, stop: () => {}, capacity: () => ({ cpu: 4096, memory: 8192 }) };
let now = new Date('2026-01-01T00:00:00Z');
const scope = () => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now });

async function setup(o: { managed?: 'ENABLED' | 'DISABLED'; desired?: number; min?: number; max?: number; warmup?: number; name?: string; maxNodes?: number } = {}) {
  now = new Date('2026-01-01T00:00:00Z');
  const store = new MemoryStore();
  const ecs = createEcsControl(store, agent);
  const name = o.name ?? 'cp-local';
  await ecs.capacityProviders.create(scope(), {
    name,
    autoScalingGroupProvider: {
      autoScalingGroupArn: 'local-group',
      managedScaling: { status: o.managed ?? 'ENABLED', minimumScalingStepSize: o.min ?? 1, maximumScalingStepSize: o.max ?? 10, instanceWarmupPeriod: o.warmup ?? 60 },
    },
  });
  await ecs.clusters.create(scope(), { clusterName: 'c', capacityProviders: [name] });
  await ecs.taskDefinitions.register(scope(), { family: 'f', cpu: '256', memory: '512', containerDefinitions: [{ name: 'a', image: 'x' }] });
  await ecs.services.create(scope(), { cluster: 'c', serviceName: 'web', taskDefinition: 'f', desiredCount: o.desired ?? 3, capacityProviderStrategy: [{ capacityProvider: name, weight: 1 }] });
  const provider = new FakeProvider(o.maxNodes);
  const loop = new ProvisioningLoop({ control: controlPlaneReads(store, ecs), provider, offerings, clock: () => now });
  const events = async () => (await ecs.services.describe(scope(), 'c', ['web'])).found[0]!.events.map((e) => e.message);
  return { ecs, provider, loop, events };
}

/** Registers the launched node as a container instance of the group, as its agent would. */
async function join(ecs: ReturnType<typeof createEcsControl>, n: NodeInfo) {
  return ecs.containerInstances.registerAgent(scope(), {
    cluster: 'c', host: n.id, agentVersion: '1', cpu: n.cpu, memory: n.memoryMiB, instanceType: n.instanceType, availabilityZone: n.zone,
    attributes: [{ name: 'minato.capacity-group', value: n.group }, { name: NODE_ATTRIBUTE, value: n.id }],
  });
}

describe('ProvisioningLoop', () => {
  it('launches a node for the unplaced tasks of a managed provider, records the plan once, and never launches twice for the same demand', async () => {
    const { ecs, provider, loop, events } = await setup();
    await loop.tick();
    expect(provider.launched).toHaveLength(1);
    const n = provider.launched[0]!;
    expect(n).toMatchObject({ providerName: 'cp-local', group: 'local-group', capacityType: 'on-demand', region: 'us-east-1', clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/c' });
    // The node holds the three tasks: 3 × 256 CPU units and 3 × 512 MiB.
    expect(n.cpu).toBeGreaterThanOrEqual(768);
    expect(n.memoryMiB).toBeGreaterThanOrEqual(1536);
    const [message] = await events();
    expect(message).toMatch(new RegExp(`^\\(service web\\) capacity provider cp-local is scaling out: launching 1 × ${n.instanceType.replace('.', '\\.')} \\(on-demand, ${n.zone}\\) for 3 tasks; .+\\.$`));
    // Launching counts as capacity; joined, it still does (its tasks are not placed yet).
    await loop.tick();
    await join(ecs, n);
    await loop.tick();
    expect(provider.launched).toHaveLength(1);
    expect(await events()).toHaveLength(1);
  });

  it('launches more when the demand grows beyond what the nodes hold', async () => {
    const { ecs, provider, loop } = await setup({ desired: 2 });
    await loop.tick();
    const first = provider.launched[0]!;
    await ecs.services.update(scope(), { cluster: 'c', service: 'web', desiredCount: 2 + Math.floor(first.cpu / 256) + 1 });
    await loop.tick();
    expect(provider.launched.length).toBeGreaterThan(1);
  });

  it('does nothing for a provider whose managed scaling is DISABLED', async () => {
    const { provider, loop, events } = await setup({ managed: 'DISABLED' });
    await loop.tick();
    expect(provider.launched).toEqual([]);
    expect(await events()).toEqual([]);
  });

  it('keeps to maximumScalingStepSize and pads to minimumScalingStepSize', async () => {
    const big = await setup({ desired: 40, max: 1 });
    await big.loop.tick();
    expect(big.provider.launched).toHaveLength(1);
    expect((await big.events())[0]).toContain('wait for the next step');
    const small = await setup({ desired: 1, min: 2 });
    await small.loop.tick();
    expect(small.provider.launched).toHaveLength(2);
    expect((await small.events())[0]).toMatch(/launching 2 × .* for 1 task; .*1 node added to reach minimumScalingStepSize 2\.$/);
  });

  it('stops a node that has not joined by the end of the warm-up period, then plans again', async () => {
    const { provider, loop } = await setup({ warmup: 60 });
    await loop.tick();
    now = new Date(now.getTime() + 59_000);
    await loop.tick();
    expect(provider.terminated).toEqual([]);
    now = new Date(now.getTime() + 2_000);
    await loop.tick();
    expect(provider.terminated).toEqual(['node-1']);
    expect(provider.launched).toHaveLength(2);
  });

  it('picks spot offerings for a provider named for spot, and says once that it cannot scale past the node limit', async () => {
    const spot = await setup({ name: 'cp-spot' });
    await spot.loop.tick();
    expect(spot.provider.launched[0]!.capacityType).toBe('spot');
    const full = await setup({ maxNodes: 0 });
    await full.loop.tick();
    await full.loop.tick();
    expect(full.provider.launched).toEqual([]);
    expect(await full.events()).toEqual(['(service web) capacity provider cp-local is unable to scale out: the node provider runs as many nodes as it may.']);
  });
});
