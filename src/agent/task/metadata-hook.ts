import { containerMetadata, dockerStats, taskMetadata } from './metadata-documents.js';
import type { MetadataProvider } from './ports.js';
import type { ContainerState, RunContext } from './run-context.js';

/**
 * Registers a container with the task's metadata endpoint under its token and returns the
 * variables ECS injects into a container: the endpoint's URI, the execution environment and region.
 */
export async function metadataEnvironment(ctx: RunContext, c: ContainerState): Promise<string[]> {
  const { spec } = ctx;
  const uri = await ctx.deps.metadata.register(ctx.network!.gateway, c.token, metadataProvider(ctx, c));
  return [
    `ECS_CONTAINER_METADATA_URI_V4=${uri}`,
    `ECS_CONTAINER_METADATA_URI=${uri}`,
    // The agent endpoint (task scale-in protection) lives beside the metadata, under the same token.
    `ECS_AGENT_URI=${uri.replace(/\/v4\/([^/]+)$/, '/api/$1')}`,
    `AWS_EXECUTION_ENV=${spec.launchType === 'FARGATE' ? 'AWS_ECS_FARGATE' : 'AWS_ECS_EC2'}`,
    `AWS_REGION=${spec.region}`,
    `AWS_DEFAULT_REGION=${spec.region}`,
  ];
}

/** What the metadata endpoint serves for one container: documents of the run as it is when asked. */
export function metadataProvider(ctx: RunContext, c: ContainerState): MetadataProvider {
  return {
    taskArn: ctx.spec.taskArn,
    container: () => containerMetadata(ctx, c),
    task: () => taskMetadata(ctx),
    containerStats: () => statsOf(ctx, c),
    taskStats: async () =>
      Object.fromEntries(await Promise.all([...ctx.containers.values()].map(async (x) => [x.runtimeId, await statsOf(ctx, x)] as const))),
  };
}

/** A container's Docker stats document; each sample becomes the next one's precpu_stats. */
async function statsOf(ctx: RunContext, c: ContainerState) {
  // The process runs before start() returns (STARTING), so a container may ask for its stats then.
  const live = c.status === 'RUNNING' || c.status === 'STARTING';
  const sample = live ? await ctx.deps.runtime.stats(c.runtimeId).catch(() => undefined) : undefined;
  const doc = dockerStats(c.def.name!, c.runtimeId, sample, c.lastStats);
  if (sample) c.lastStats = sample;
  return doc;
}
