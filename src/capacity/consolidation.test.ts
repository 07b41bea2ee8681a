import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itype, offer } from './catalog.fixtures.js';
import { consolidate } from './consolidation.js';
import { attributesOf } from './planning.js';
import { Arch, type Node, type Offering, type PendingTask } from './types.js';

const types = [itype('c7i.large', 2, 4096), itype('c7i.xlarge', 4, 8192), itype('c7i.2xlarge', 8, 16384), itype('c7g.xlarge', 4, 8192, Arch.ARM64)];
const prices = [0.089, 0.1785, 0.357, 0.145];
const OFFERINGS: Offering[] = types.flatMap((t, i) => ['z1', 'z2'].map((z) => offer(t, prices[i]!, z)));

const nodeOf = (id: string, typeIndex: number, zone: string, tasks: PendingTask[]): Node => {
  const o = offer(types[typeIndex]!, prices[typeIndex]!, zone);
  return { id, offering: o, attributes: attributesOf(o), tasks };
};
const t = (id: string, cpu: number, mem: number, extra: Partial<PendingTask> = {}): PendingTask => ({ id, demand: { cpu, memoryMiB: mem, gpus: 0 }, ...extra });

describe('consolidate', () => {
  it('removes a node whose tasks fit elsewhere and replaces an oversized one', () => {
    const nodes = [nodeOf('a', 2, 'z1', [t('1', 1024, 2048)]), nodeOf('b', 2, 'z1', [t('2', 1024, 2048)])];
    const r = consolidate(nodes, OFFERINGS);
    expect(r.actions.map((a) => a.kind)).toEqual(['remove', 'replace']);
    expect(r.nodes).toHaveLength(1);
    expect(r.nodes[0]!.tasks.map((x) => x.id).sort()).toEqual(['1', '2']);
    expect(r.nodes[0]!.offering.type.name).toBe('c7i.xlarge');
    expect(r.usdPerHourAfter).toBeCloseTo(0.1785, 9);
    expect(r.decisions.every((d) => d.reason.length > 10)).toBe(true);
  });

  it('keeps spread tasks in their zone and architecture-bound tasks on their architecture', () => {
    const nodes = [nodeOf('a', 1, 'z1', [t('1', 512, 512, { spreadGroup: 'web' })]), nodeOf('b', 1, 'z2', [t('2', 512, 512, { spreadGroup: 'web' })])];
    const r = consolidate(nodes, OFFERINGS);
    expect(r.actions.every((a) => a.kind === 'replace')).toBe(true);
    expect(r.nodes.map((n) => n.offering.zone)).toEqual(['z1', 'z2']);
  });

  it('never drops a task, never overfills a node, never costs more', () => {
    const taskArb = fc.record({ cpu: fc.integer({ min: 1, max: 8 }), mem: fc.integer({ min: 1, max: 8 }), arch: fc.constantFrom(undefined, Arch.X86_64, Arch.ARM64), spread: fc.boolean() });
    const nodeArb = fc.record({ type: fc.integer({ min: 0, max: types.length - 1 }), zone: fc.constantFrom('z1', 'z2'), tasks: fc.array(taskArb, { maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(nodeArb, { maxLength: 8 }), (raw) => {
        let seq = 0;
        const nodes: Node[] = [];
        raw.forEach((r, i) => {
          const type = types[r.type]!;
          const cap = { cpu: type.vcpu * 1024, mem: Math.floor(type.memoryMiB * 0.97) };
          const tasks: PendingTask[] = [];
          for (const x of r.tasks) {
            const d = { cpu: x.cpu * 256, memoryMiB: x.mem * 256 };
            const arch = x.arch ?? type.arch;
            if (arch !== type.arch || tasks.reduce((s, y) => s + y.demand.cpu, 0) + d.cpu > cap.cpu || tasks.reduce((s, y) => s + y.demand.memoryMiB, 0) + d.memoryMiB > cap.mem) continue;
            tasks.push(t(`t${seq++}`, d.cpu, d.memoryMiB, { ...(x.arch ? { arch: x.arch } : {}), ...(x.spread ? { spreadGroup: 'g' } : {}) }));
          }
          nodes.push(nodeOf(`n${i}`, r.type, r.zone, tasks));
        });
        const r = consolidate(nodes, OFFERINGS);
        const before = nodes.flatMap((n) => n.tasks.map((x) => x.id)).sort();
        const after = r.nodes.flatMap((n) => n.tasks.map((x) => x.id)).sort();
        expect(after).toEqual(before);
        for (const n of r.nodes) {
          expect(n.tasks.reduce((s, x) => s + x.demand.cpu, 0)).toBeLessThanOrEqual(n.offering.allocatable.cpu);
          expect(n.tasks.reduce((s, x) => s + x.demand.memoryMiB, 0)).toBeLessThanOrEqual(n.offering.allocatable.memoryMiB);
          for (const x of n.tasks) {
            const was = nodes.find((o) => o.tasks.some((y) => y.id === x.id))!;
            expect(n.offering.type.arch).toBe(was.offering.type.arch);
            if (x.spreadGroup) expect(n.offering.zone).toBe(was.offering.zone);
          }
        }
        expect(r.usdPerHourAfter).toBeLessThanOrEqual(r.usdPerHourBefore + 1e-9);
      }),
      { numRuns: 150 },
    );
  });
});
