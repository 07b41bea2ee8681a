import type { RunnerImage } from './ports.js';
import { now, TaskStartError, type ContainerState, type RunContext } from './run-context.js';

/**
 * Pulls the containers' images (PENDING); `report` false when a restarted run fetches them again,
 * which reports neither the pull timestamps nor the digests a second time. A failed pull is
 * reported on its container and thrown as the task's stopped reason (CannotPullContainerError).
 */
export async function pullImages(ctx: RunContext, containers: readonly ContainerState[], report = true): Promise<void> {
  if (containers.length === 0) return;
  const pullStartedAt = now();
  if (report) {
    ctx.timestamps.pullStartedAt = pullStartedAt;
    await ctx.report({ pullStartedAt });
  }
  // One pull per image and credentials: containers sharing both share the pull.
  const pulls = new Map<string, Promise<RunnerImage>>();
  const keyOf = (c: ContainerState) => `${c.def.image}\n${c.def.repositoryCredentials?.credentialsParameter ?? ''}`;
  for (const c of containers) {
    const key = keyOf(c);
    if (!pulls.has(key))
      pulls.set(
        key,
        registryAuth(ctx, c.def.repositoryCredentials?.credentialsParameter).then((auth) =>
          ctx.deps.images.pull(c.def.image!, { ...(auth && { auth }), region: ctx.spec.region }),
        ),
      );
  }
  for (const c of containers) {
    try {
      c.image = await pulls.get(keyOf(c))!;
    } catch (err) {
      const message = (err as Error).message;
      const reason =
        err instanceof TaskStartError || message.startsWith('CannotPullContainerError') ? message : `CannotPullContainerError: ${message}`;
      await ctx.report({ containers: { [c.def.name!]: { reason } } });
      throw new TaskStartError(reason);
    }
  }
  if (!report) return;
  const pullStoppedAt = now();
  ctx.timestamps.pullStoppedAt = pullStoppedAt;
  await ctx.report({
    pullStoppedAt,
    containers: Object.fromEntries([...ctx.containers.values()].map((c) => [c.def.name!, { imageDigest: c.image!.manifestDigest }])),
  });
}

/**
 * Private registry credentials (`repositoryCredentials.credentialsParameter`): a Secrets Manager
 * secret holding `{"username": …, "password": …}`, as ECS reads it.
 */
export async function registryAuth(ctx: RunContext, valueFrom: string | undefined): Promise<{ username: string; password: string } | undefined> {
  if (!valueFrom) return undefined;
  const fail = (why: string) => new TaskStartError(`ResourceInitializationError: unable to pull secrets or registry auth: ${why}`);
  if (!ctx.deps.secrets) throw fail('no secret store is configured');
  let value: string;
  try {
    value = await ctx.deps.secrets(valueFrom, ctx.spec.region);
  } catch (err) {
    const message = (err as Error).message;
    throw message.startsWith('ResourceInitializationError') ? new TaskStartError(message) : fail(message);
  }
  let parsed: { username?: unknown; password?: unknown };
  try {
    parsed = JSON.parse(value) as typeof parsed;
  } catch {
    throw fail(`private registry authentication secret ${valueFrom} is not valid JSON`);
  }
  if (typeof parsed.username !== 'string' || typeof parsed.password !== 'string') {
    throw fail(`private registry authentication secret ${valueFrom} must have username and password keys`);
  }
  return { username: parsed.username, password: parsed.password };
}
