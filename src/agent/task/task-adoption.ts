import type { StopReason, TaskStateChange } from '../../agent-contract/task-contract.js';
import { credentialsProvider } from './credentials-hook.js';
import { metadataProvider } from './metadata-hook.js';
import type { ContainerState, RunContext } from './run-context.js';
import { readRunState } from './run-state-file.js';
import { planRecovery, RecoveryMode, type FoundContainer, type RecoveryPlan } from './task-recovery.js';

/**
 * The first step of taking a task back after the agent restarted: finds its containers, plans the
 * recovery (`planRecovery`), removes created-but-unstarted containers, restores the saved run
 * state (network, timestamps, attachment id, every container's metadata token) and, unless the
 * task runs from the beginning, re-registers the containers that ran with the metadata endpoint,
 * marks those known to have stopped and hands each running one to `follow` (exits, logs, health).
 */
export async function takeBack(
  ctx: RunContext,
  known: TaskStateChange,
  stop: StopReason | undefined,
  follow: (c: ContainerState) => void,
): Promise<RecoveryPlan> {
  const state = await readRunState(ctx.dir);
  const list = [...ctx.containers.values()];
  const container = (name: string) => ctx.containers.get(name)!;
  const found: Record<string, FoundContainer> = {};
  for (const c of list) {
    const s = await ctx.deps.runtime.status(c.runtimeId);
    found[c.def.name!] = s && (s.status === 'stopped' ? { status: 'stopped', ...(s.exit && { exit: s.exit }) } : { status: s.status });
  }
  const plan = planRecovery({ names: list.map((c) => c.def.name!), found, saved: state !== undefined, known, ...(stop && { stop }) });
  for (const name of plan.discard) await ctx.deps.runtime.remove(container(name).runtimeId);
  if (state) {
    ctx.network = state.network;
    Object.assign(ctx.timestamps, state.timestamps);
    if (state.attachmentId) ctx.attachmentId = state.attachmentId;
    if (state.credentialsId) ctx.credentialsId = state.credentialsId;
  }
  // Every container keeps its saved token: the run state is not saved again, and a container
  // started now must be found under it after another restart.
  for (const c of list) c.token = state?.tokens?.[c.def.name!] ?? c.token;
  if (plan.mode === RecoveryMode.Fresh) return plan;

  ctx.status = known.lastStatus === 'RUNNING' ? 'RUNNING' : 'PENDING';
  if (known.startedAt !== undefined) ctx.timestamps.startedAt = known.startedAt;
  for (const name of [...plan.follow, ...plan.exited.map((e) => e.name)]) {
    const c = container(name);
    const saved = state?.images[name];
    if (saved) c.image = { manifestDigest: saved.manifestDigest, config: { StopSignal: saved.stopSignal }, layerDirs: [] };
    if (ctx.network) await ctx.deps.metadata.register(ctx.network.gateway, c.token, metadataProvider(ctx, c)).catch(() => undefined);
  }
  // Containers that run keep asking for their role's credentials under the same id.
  if (ctx.network && ctx.spec.taskRoleArn !== undefined && ctx.deps.credentials && plan.follow.length > 0) {
    await ctx.deps.metadata.registerCredentials(ctx.network.gateway, ctx.credentialsId, credentialsProvider(ctx)).catch(() => undefined);
  }
  for (const { name, exitCode } of plan.done) Object.assign(container(name), { status: 'STOPPED', exitCode });
  for (const name of plan.follow) {
    const c = container(name);
    c.status = 'RUNNING';
    follow(c);
  }
  return plan;
}
