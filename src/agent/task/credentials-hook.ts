import type { ContainerDefinition, ContainerOverride } from '@aws-sdk/client-ecs';
import type { RoleCredentials } from '../../agent-contract/ports.js';
import type { CredentialsProvider } from './ports.js';
import { TaskStartError, type RunContext } from './run-context.js';

/** The path under which ECS serves a task's role credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI). */
export const CREDENTIALS_PATH = '/v2/credentials/';
/** The address the SDKs add the relative URI to. */
export const CREDENTIALS_ADDRESS = '169.254.170.2';

/**
 * Assumes the task's roles before anything is pulled, as ECS does: an execution role or a task role
 * that does not exist or does not trust ecs-tasks.amazonaws.com stops the task with ECS's reason.
 * The task role's credentials are kept for the credentials endpoint.
 */
export async function assumeTaskRoles(ctx: RunContext): Promise<void> {
  const source = ctx.deps.credentials;
  const { spec } = ctx;
  if (!source) return;
  for (const roleArn of [spec.executionRoleArn, spec.taskRoleArn]) {
    if (roleArn === undefined) continue;
    const got = await source({ taskArn: spec.taskArn, taskId: spec.taskId, accountId: spec.accountId, roleArn }).catch((err: unknown) => {
      throw new TaskStartError(`ResourceInitializationError: unable to assume the role '${roleArn}': ${(err as Error).message}`);
    });
    if (!got.ok) throw new TaskStartError(got.reason);
    if (roleArn === spec.taskRoleArn) ctx.taskCredentials = got.credentials;
  }
}

/**
 * The variables that point a task's SDKs at the platform: its role's credentials endpoint (when it
 * has a task role), the platform's endpoint and region. Registers the credentials with the endpoint.
 */
export async function credentialsEnvironment(ctx: RunContext, def: ContainerDefinition, override: ContainerOverride | undefined): Promise<string[]> {
  const env: string[] = [];
  const network = ctx.network!;
  if (ctx.spec.taskRoleArn !== undefined && ctx.deps.credentials) {
    await ctx.deps.metadata.registerCredentials(network.gateway, ctx.credentialsId, credentialsProvider(ctx));
    env.push(`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=${CREDENTIALS_PATH}${ctx.credentialsId}`);
  }
  // A container that names its own endpoint keeps it.
  const named = [...(def.environment ?? []), ...(override?.environment ?? [])].some((e) => e.name === 'AWS_ENDPOINT_URL');
  const endpoint = named ? undefined : await ctx.deps.taskEndpoint?.(network.gateway);
  if (endpoint !== undefined) env.push(`AWS_ENDPOINT_URL=${endpoint}`);
  return env;
}

/** Credentials are renewed once less than this part of their life is left. */
const RENEW_AT_FRACTION = 0.5;
/** …and never served with less than this left (the SDKs refresh five minutes ahead). */
const MIN_LEFT_MS = 15 * 60_000;

/**
 * What the endpoint serves for the task: the task role's credentials, renewed through the source
 * once half their life has passed, so a container always gets credentials with hours left. A
 * renewal that fails keeps the current ones while they last.
 */
export function credentialsProvider(ctx: RunContext, now: () => number = Date.now): CredentialsProvider {
  let issuedAt = now();
  let renewing: Promise<RoleCredentials> | undefined;
  const renew = (): Promise<RoleCredentials> => {
    renewing ??= (async () => {
      const { spec } = ctx;
      const got = await ctx.deps.credentials!({ taskArn: spec.taskArn, taskId: spec.taskId, accountId: spec.accountId, roleArn: spec.taskRoleArn! });
      if (!got.ok) throw new Error(got.reason);
      ctx.taskCredentials = got.credentials;
      issuedAt = now();
      return got.credentials;
    })().finally(() => (renewing = undefined));
    return renewing;
  };
  return {
    sourceAddress: ctx.network?.ipv4Address,
    async credentials() {
      const current = ctx.taskCredentials;
      if (!current) return renew();
      const expires = Date.parse(current.Expiration);
      const renewAt = issuedAt + (expires - issuedAt) * RENEW_AT_FRACTION;
      if (now() < renewAt && expires - now() > MIN_LEFT_MS) return current;
      try {
        return await renew();
      } catch (err) {
        if (expires - now() > 0) return current;
        throw err;
      }
    },
  };
}
