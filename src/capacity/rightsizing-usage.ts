/**
 * From Container Insights performance log events to the per-family use that rightsizing takes:
 * the `Type: "Task"` events (CpuUtilized in CPU units, MemoryUtilized in MiB, CpuReserved and
 * MemoryReserved the task size) grouped by TaskDefinitionFamily. Events of other types, and
 * events missing a figure, are counted and skipped, never guessed.
 */
import type { FamilyUsage, UsageSample } from './rightsizing.js';

/** The fields of a Task performance event that rightsizing reads. */
interface TaskEvent {
  family: string;
  taskId: string;
  timestamp: number;
  sample: UsageSample;
  cpuReserved: number;
  memoryReserved: number;
}

/** What was read, for the report. */
export interface UsageSummary {
  readonly usages: FamilyUsage[];
  /** Task events used. */
  readonly taskEvents: number;
  /** Events skipped: other types, unparsable, or missing a figure. */
  readonly skipped: number;
  /** First and last Timestamp of the events used (ms), when any. */
  readonly from?: number;
  readonly to?: number;
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

function taskEvent(raw: unknown): TaskEvent | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const e = raw as Record<string, unknown>;
  if (e.Type !== 'Task' || typeof e.TaskDefinitionFamily !== 'string' || typeof e.TaskId !== 'string') return undefined;
  const [cpu, mem, cpuRes, memRes, ts] = [num(e.CpuUtilized), num(e.MemoryUtilized), num(e.CpuReserved), num(e.MemoryReserved), num(e.Timestamp)];
  if (cpu === undefined || mem === undefined || cpuRes === undefined || memRes === undefined || ts === undefined) return undefined;
  return { family: e.TaskDefinitionFamily, taskId: e.TaskId, timestamp: ts, sample: { cpuUnits: cpu, memoryMiB: mem }, cpuReserved: cpuRes, memoryReserved: memRes };
}

/**
 * Groups Task events (parsed JSON messages) by family. The current size of a family is the one
 * its latest event reserves; tasks running at once is the mean number of events per distinct
 * Timestamp (the sampler writes one event per task per tick).
 */
export function usageFromPerformanceEvents(messages: readonly unknown[]): UsageSummary {
  const byFamily = new Map<string, TaskEvent[]>();
  let skipped = 0;
  for (const m of messages) {
    const e = taskEvent(m);
    if (!e) {
      skipped++;
      continue;
    }
    (byFamily.get(e.family) ?? byFamily.set(e.family, []).get(e.family)!).push(e);
  }
  const all = [...byFamily.values()].flat();
  const usages = [...byFamily.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([family, events]): FamilyUsage => {
      // Sorted by time, then task id: the same events in any order give the same answer.
      const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
      const latest = sorted[sorted.length - 1]!;
      const ticks = new Set(sorted.map((e) => e.timestamp)).size;
      return {
        family,
        current: { cpu: latest.cpuReserved, memoryMiB: latest.memoryReserved },
        samples: sorted.map((e) => e.sample),
        taskCount: Math.round((sorted.length / ticks) * 100) / 100,
      };
    });
  const times = all.map((e) => e.timestamp);
  return {
    usages,
    taskEvents: all.length,
    skipped,
    ...(times.length > 0 && { from: Math.min(...times), to: Math.max(...times) }),
  };
}
