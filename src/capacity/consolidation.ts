/**
 * Karpenter-style consolidation: given nodes and the tasks on them, find nodes that can be removed
 * (all their tasks fit elsewhere) and nodes that can be replaced by a cheaper offering that holds
 * their tasks. Tasks are only ever moved to a node that stays, so no task is dropped. Tasks of a
 * spread group keep their zone, so consolidation never unbalances a spread, and every task keeps
 * its architecture.
 */
import type { Attributes } from './constraints.js';
import { attributesOf, bySizeDesc, compatible, describe, hasRoom, put, workNodeOf, type Pending, type WorkNode } from './planning.js';
import type { Decision, Node, Offering, PendingTask } from './types.js';

/** One consolidation step. */
export interface ConsolidationAction {
  readonly kind: 'remove' | 'replace';
  readonly nodeId: string;
  readonly replacement?: Offering;
  readonly moves: readonly { readonly taskId: string; readonly toNodeId: string }[];
  readonly savingUsdPerHour: number;
  readonly reason: string;
}

/** The actions and the resulting nodes. */
export interface ConsolidationResult {
  readonly actions: readonly ConsolidationAction[];
  readonly nodes: readonly Node[];
  readonly decisions: readonly Decision[];
  readonly usdPerHourBefore: number;
  readonly usdPerHourAfter: number;
}

/**
 * A running task as a placement request: it keeps its zone when it belongs to a spread group, and
 * its architecture always (its image is known to run there; another architecture is a rebuild).
 */
const pendingOf = (t: PendingTask, n: WorkNode): Pending => {
  const task = t.arch ? t : { ...t, arch: n.offering.type.arch };
  return t.spreadGroup ? { task, zone: n.offering.zone } : { task };
};

/** Plans removals, then replacements; deterministic. */
export function consolidate(nodes: readonly Node[], offerings: readonly Offering[], extra?: Attributes): ConsolidationResult {
  const work = nodes.map(workNodeOf);
  const before = work.reduce((s, n) => s + n.offering.price.usdPerHour, 0);
  const actions: ConsolidationAction[] = [];
  const removed = new Set<string>();
  // Cheapest disruption first: fewest tasks, then the dearest node, then id.
  const order = [...work].sort((a, b) => a.tasks.length - b.tasks.length || b.offering.price.usdPerHour - a.offering.price.usdPerHour || (a.id < b.id ? -1 : 1));
  for (const n of order) {
    const others = work.filter((o) => o !== n && !removed.has(o.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const moves = tryMoveAll(n, others);
    if (!moves) continue;
    for (const m of moves) put(others.find((o) => o.id === m.toNodeId)!, n.tasks.find((t) => t.id === m.taskId)!);
    removed.add(n.id);
    const targets = [...new Set(moves.map((m) => m.toNodeId))];
    actions.push({
      kind: 'remove',
      nodeId: n.id,
      moves,
      savingUsdPerHour: n.offering.price.usdPerHour,
      reason: n.tasks.length
        ? `${n.id} (${describe(n.offering)}) can go: its ${n.tasks.length} task(s) fit on ${targets.join(', ')}`
        : `${n.id} (${describe(n.offering)}) runs no task`,
    });
  }
  const sorted = [...offerings].sort((a, b) => a.price.usdPerHour - b.price.usdPerHour || a.type.name.localeCompare(b.type.name) || a.zone.localeCompare(b.zone));
  for (const n of work) {
    if (removed.has(n.id) || n.tasks.length === 0) continue;
    const better = sorted.find(
      (o) =>
        o.price.usdPerHour < n.offering.price.usdPerHour - 1e-12 &&
        o.allocatable.cpu >= n.used.cpu && o.allocatable.memoryMiB >= n.used.memoryMiB && o.allocatable.gpus >= n.used.gpus &&
        n.tasks.every((t) => compatible(pendingOf(t, n), o, attributesOf(o, extra))),
    );
    if (!better) continue;
    const saving = n.offering.price.usdPerHour - better.price.usdPerHour;
    actions.push({
      kind: 'replace',
      nodeId: n.id,
      replacement: better,
      moves: n.tasks.map((t) => ({ taskId: t.id, toNodeId: n.id })),
      savingUsdPerHour: saving,
      reason: `${n.id} (${describe(n.offering)}) can be replaced by ${describe(better)}, the cheapest offering that holds its ${n.tasks.length} task(s); saves $${saving.toFixed(4)}/h`,
    });
    n.offering = better;
    n.attributes = attributesOf(better, extra);
  }
  const kept = work.filter((n) => !removed.has(n.id));
  const after = kept.reduce((s, n) => s + n.offering.price.usdPerHour, 0);
  return {
    actions,
    nodes: kept.map((n) => ({ id: n.id, offering: n.offering, attributes: n.attributes, tasks: [...n.tasks] })),
    decisions: actions.map((a) => ({ kind: a.kind, subject: a.nodeId, reason: a.reason })),
    usdPerHourBefore: before,
    usdPerHourAfter: after,
  };
}

/** Where each task of `n` would go on the other nodes (first fit, largest first), or undefined. */
function tryMoveAll(n: WorkNode, others: readonly WorkNode[]): { taskId: string; toNodeId: string }[] | undefined {
  const shadow = others.map((o) => ({ ...o, used: { ...o.used }, tasks: [...o.tasks], distinct: new Set(o.distinct) }));
  const moves: { taskId: string; toNodeId: string }[] = [];
  for (const p of n.tasks.map((t) => pendingOf(t, n)).sort(bySizeDesc)) {
    const target = shadow.find((o) => hasRoom(o, p.task) && compatible(p, o.offering, o.attributes));
    if (!target) return undefined;
    put(target, p.task);
    moves.push({ taskId: p.task.id, toNodeId: target.id });
  }
  return moves;
}
