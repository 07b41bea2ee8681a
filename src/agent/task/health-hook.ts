import { taskHealth } from './dependencies.js';
import { HealthChecker } from './health-check.js';
import type { ContainerState, RunContext } from './run-context.js';

/**
 * Runs a started container's health check (it must have one): each change of its health is
 * reported with the task's health, then `afterChange` runs (dependsOn HEALTHY may unblock starts).
 */
export function watchHealth(ctx: RunContext, c: ContainerState, afterChange: () => Promise<void>): void {
  c.health = 'UNKNOWN';
  c.checker = new HealthChecker(
    c.def.healthCheck!,
    (args, timeoutMs) => ctx.deps.runtime.exec(c.runtimeId, args, { timeoutMs }),
    (health) =>
      void (async () => {
        c.health = health;
        const all = new Map([...ctx.containers].map(([n, x]) => [n, x.health ?? 'UNKNOWN']));
        await ctx.report({ healthStatus: taskHealth(ctx.spec.containerDefinitions, all), containers: { [c.def.name!]: { healthStatus: health } } });
        await afterChange();
      })(),
    c.startedAt,
  );
  c.checker.start();
}
