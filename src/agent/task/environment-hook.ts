import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { readFile } from 'node:fs/promises';
import { parseEnvironmentFile } from './process-config.js';
import { overrideOf, TaskStartError, type ContainerState, type RunContext } from './run-context.js';

/**
 * Secrets and environment files, fetched for every container before any starts, so that a
 * missing one stops the task with nothing started, as on ECS (ResourceInitializationError).
 */
export async function resolveEnvironment(ctx: RunContext, containers: readonly ContainerState[]): Promise<void> {
  for (const c of containers) {
    c.secretEnv = await resolveSecrets(ctx, c.def);
    const override = overrideOf(ctx.spec, c.def.name!);
    // An override's environment files replace the definition's, as ECS documents.
    c.fileEnv = await environmentFiles(override?.environmentFiles ?? c.def.environmentFiles ?? []);
  }
}

/** A container's `secrets` as `NAME=value` entries, resolved through the secret store. */
async function resolveSecrets(ctx: RunContext, def: ContainerDefinition): Promise<string[]> {
  const secrets = def.secrets ?? [];
  if (secrets.length === 0) return [];
  const resolve = ctx.deps.secrets;
  const out: string[] = [];
  for (const s of secrets) {
    if (!resolve) throw new TaskStartError('ResourceInitializationError: unable to pull secrets or registry auth: no secret store is configured');
    try {
      out.push(`${s.name}=${await resolve(s.valueFrom!, ctx.spec.region)}`);
    } catch (err) {
      const message = (err as Error).message;
      throw new TaskStartError(message.startsWith('ResourceInitializationError') ? message : `ResourceInitializationError: ${message}`);
    }
  }
  return out;
}

/** The entries of a container's environment files, in order. */
async function environmentFiles(files: ReadonlyArray<{ value?: string }>): Promise<string[]> {
  const out: string[] = [];
  for (const f of files) {
    // Environment files are local paths for now (S3 ARNs need an object store).
    const text = await readFile(f.value!, 'utf8').catch(() => {
      throw new TaskStartError(`ResourceInitializationError: failed to download env files: file not found: ${f.value}`);
    });
    out.push(...parseEnvironmentFile(text));
  }
  return out;
}
