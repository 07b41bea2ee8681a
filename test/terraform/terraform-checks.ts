import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Terraform } from './terraform-cli.js';

/** Attributes Terraform keeps only in its state (never read from the API), so an import cannot know them. */
export const NOT_READ_BACK: Record<string, readonly string[]> = {
  aws_ecr_repository: ['force_delete'],
  aws_ecs_service: ['wait_for_steady_state', 'force_delete', 'force_new_deployment'],
  // GetResourcePolicy does not return BlockPublicPolicy (the API has no such member).
  aws_secretsmanager_secret_policy: ['block_public_policy'],
  aws_secretsmanager_secret: ['recovery_window_in_days', 'force_overwrite_replica_secret'],
  aws_ssm_parameter: ['overwrite', 'insecure_value'],
  aws_ecs_task_definition: ['skip_destroy', 'track_latest'],
  aws_iam_role: ['force_detach_policies'],
  // An imported certificate's material is write-only: the provider never reads it back.
  aws_acm_certificate: ['private_key', 'certificate_body', 'certificate_chain'],
  aws_iam_access_key: ['secret', 'ses_smtp_password_v4', 'pgp_key', 'encrypted_secret', 'encrypted_ses_smtp_password_v4', 'key_fingerprint'],
  aws_sns_topic_subscription: ['endpoint_auto_confirms', 'confirmation_timeout_in_minutes'],
};

/** An imported service's task definition is recorded as family:revision, a configured one as its ARN (as on AWS). */
const sameRevision = (type: string, key: string, before: unknown, after: unknown) =>
  type === 'aws_ecs_service' && key === 'task_definition' && typeof after === 'string' && after.endsWith(`:task-definition/${String(before)}`);

/**
 * A forward action imported with both its target_group_arn and the forward block ELB always
 * answers: the provider cannot tell which one the configuration used, so it records both, and
 * the plan drops the block again. Only the forward blocks of actions naming a target group differ.
 */
const importedForward = (type: string, key: string, before: unknown, after: unknown) => {
  if ((type !== 'aws_lb_listener' && type !== 'aws_lb_listener_rule') || (key !== 'default_action' && key !== 'action')) return false;
  const withoutForward = (actions: unknown) =>
    JSON.stringify((actions as Array<Record<string, unknown>>).map((a) => (a.target_group_arn ? { ...a, forward: [] } : a)));
  return Array.isArray(before) && Array.isArray(after) && withoutForward(before) === withoutForward(after);
};

export interface StateResource {
  address: string;
  mode: string;
  type: string;
  values: Record<string, unknown>;
}

type Vars = Record<string, string | number>;

/** The root module's resources in Terraform's state. */
export async function stateResources(tf: Terraform): Promise<StateResource[]> {
  return (JSON.parse((await tf.must(['show', '-json'])).stdout) as { values?: { root_module?: { resources?: StateResource[] } } }).values?.root_module?.resources ?? [];
}

/** A plan right now shows no change: every member is stored and returned as AWS returns it. */
export async function expectNoChanges(tf: Terraform, vars: Vars): Promise<void> {
  const plan = await tf.run(['plan', '-detailed-exitcode', '-no-color'], { vars });
  expect(plan.code, plan.stdout.slice(-6000) + plan.stderr).toBe(0);
}

/**
 * Removes every managed resource from the state, imports each back with `import` blocks (their IDs
 * from `importId`), and expects the import plan to change nothing but what Terraform alone keeps;
 * then applies it. Resource types the provider cannot import (`notImportable`) stay in the state.
 * Returns the imported addresses.
 */
export async function reimportEverything(tf: Terraform, vars: Vars, importId: (r: StateResource) => string, notImportable: readonly string[] = []): Promise<string[]> {
  const managed = (await stateResources(tf)).filter((r) => r.mode === 'managed' && !notImportable.includes(r.type));
  await tf.must(['state', 'rm', '-no-color', ...managed.map((r) => r.address)]);
  await writeFile(join(tf.dir, 'imports.tf'), managed.map((r) => `import {\n  to = ${r.address}\n  id = ${JSON.stringify(importId(r))}\n}\n`).join(''));
  await tf.must(['plan', '-out', 'import.plan', '-no-color'], { vars });
  const plan = JSON.parse((await tf.must(['show', '-json', 'import.plan'])).stdout) as {
    resource_changes: Array<{ address: string; type: string; change: { actions: string[]; importing?: { id: string }; before: Record<string, unknown>; after: Record<string, unknown> } }>;
  };
  expect(plan.resource_changes.filter((c) => c.change.importing).map((c) => c.address).sort()).toEqual(managed.map((r) => r.address).sort());
  const unexpected = plan.resource_changes.flatMap((c) => {
    if (c.change.actions.every((a) => a === 'no-op' || a === 'read')) return [];
    if (c.change.actions.join() !== 'update') return [`${c.address}: ${c.change.actions.join()}`];
    const changed = Object.keys({ ...c.change.before, ...c.change.after }).filter(
      (k) => JSON.stringify(c.change.before[k] ?? null) !== JSON.stringify(c.change.after[k] ?? null),
    );
    return changed
      .filter(
        (k) =>
          !(NOT_READ_BACK[c.type] ?? []).includes(k) &&
          !sameRevision(c.type, k, c.change.before[k], c.change.after[k]) &&
          !importedForward(c.type, k, c.change.before[k], c.change.after[k]),
      )
      .map((k) => `${c.address}.${k}: ${JSON.stringify(c.change.before[k])} → ${JSON.stringify(c.change.after[k])}`);
  });
  expect(unexpected).toEqual([]);
  await tf.must(['apply', '-no-color', 'import.plan']);
  const after = (await stateResources(tf)).filter((r) => r.mode === 'managed' && !notImportable.includes(r.type)).map((r) => r.address).sort();
  expect(after).toEqual(managed.map((r) => r.address).sort());
  return after;
}
