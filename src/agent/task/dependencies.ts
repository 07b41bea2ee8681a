import type { ContainerDefinition } from '@aws-sdk/client-ecs';

/** What the runner knows of one container when deciding what may start. */
export interface ContainerProgress {
  /** PENDING (not started), STARTING (being started), RUNNING, or STOPPED. */
  status: 'PENDING' | 'STARTING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  health?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
}

/** The verdict on one dependency: met, not yet, or never (the task cannot start). */
type Verdict = 'met' | 'wait' | 'never';

function verdict(condition: string, target: ContainerProgress | undefined): Verdict {
  if (!target) return 'never';
  switch (condition) {
    case 'START':
      return target.status === 'RUNNING' || target.status === 'STOPPED' ? 'met' : 'wait';
    case 'COMPLETE':
      return target.status === 'STOPPED' ? 'met' : 'wait';
    case 'SUCCESS':
      if (target.status !== 'STOPPED') return 'wait';
      return target.exitCode === 0 ? 'met' : 'never';
    case 'HEALTHY':
      if (target.health === 'HEALTHY') return 'met';
      // A dependency that stopped or turned unhealthy before becoming healthy never will be.
      return target.status === 'STOPPED' || target.health === 'UNHEALTHY' ? 'never' : 'wait';
    default:
      return 'never';
  }
}

/** What may happen next: containers whose dependencies are all met, and those that can never start. */
export interface StartPlan {
  ready: string[];
  blocked: Array<{ name: string; reason: string }>;
}

/** Decides which PENDING containers can start now, following ECS's dependsOn conditions. */
export function planStarts(defs: readonly ContainerDefinition[], progress: ReadonlyMap<string, ContainerProgress>): StartPlan {
  const plan: StartPlan = { ready: [], blocked: [] };
  for (const def of defs) {
    const name = def.name!;
    if (progress.get(name)?.status !== 'PENDING') continue;
    const verdicts = (def.dependsOn ?? []).map((d) => ({ d, v: verdict(d.condition ?? 'START', progress.get(d.containerName!)) }));
    const never = verdicts.find((x) => x.v === 'never');
    if (never) {
      plan.blocked.push({
        name,
        reason: `DependencyNotSatisfied: container ${never.d.containerName} did not reach condition ${never.d.condition}`,
      });
    } else if (verdicts.every((x) => x.v === 'met')) {
      plan.ready.push(name);
    }
  }
  return plan;
}

/**
 * The order to stop containers in: a container stops before those it depends on, so a sidecar
 * outlives the app that needs it (ECS stops dependents first).
 */
export function stopOrder(defs: readonly ContainerDefinition[]): string[][] {
  const remaining = new Set(defs.map((d) => d.name!));
  const dependents = new Map<string, Set<string>>();
  for (const d of defs) for (const dep of d.dependsOn ?? []) {
    if (!dependents.has(dep.containerName!)) dependents.set(dep.containerName!, new Set());
    dependents.get(dep.containerName!)!.add(d.name!);
  }
  const waves: string[][] = [];
  while (remaining.size > 0) {
    // Containers nothing remaining depends on stop in this wave.
    const wave = [...remaining].filter((n) => ![...(dependents.get(n) ?? [])].some((x) => remaining.has(x)));
    const next = wave.length > 0 ? wave : [...remaining]; // a cycle cannot be registered, but never loop forever
    for (const n of next) remaining.delete(n);
    waves.push(next);
  }
  return waves;
}

/** The task's health from its essential containers' health (ECS's rule). */
export function taskHealth(
  defs: readonly ContainerDefinition[],
  health: ReadonlyMap<string, 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN'>,
): 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN' {
  const checked = defs.filter((d) => (d.essential ?? true) && d.healthCheck);
  if (checked.length === 0) return 'UNKNOWN';
  const states = checked.map((d) => health.get(d.name!) ?? 'UNKNOWN');
  if (states.includes('UNHEALTHY')) return 'UNHEALTHY';
  return states.every((s) => s === 'HEALTHY') ? 'HEALTHY' : 'UNKNOWN';
}
