import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEc2FrontDoor } from '../ec2/ec2-fixture.js';
import { awsCli } from '../support/aws-cli.js';
import { prepareTerraform, terraformMirror, type Terraform } from './terraform-cli.js';

const mirror = terraformMirror();
const available = mirror !== undefined;

interface StateResource {
  address: string;
  mode: string;
  type: string;
  values: Record<string, unknown>;
}

describe.skipIf(!available)('Terraform’s AWS provider on EC2 networking', () => {
  const door = useEc2FrontDoor({ withSts: true });
  let tf: Terraform;
  let vars: Record<string, string>;

  beforeAll(async () => {
    tf = await prepareTerraform(join(import.meta.dirname, 'network'), mirror!);
    vars = { endpoint: door.endpoint() };
    await tf.must(['init', '-no-color']);
  }, 120_000);
  afterAll(async () => {
    if (tf) await tf.run(['destroy', '-auto-approve', '-no-color'], { vars });
    await tf?.dispose();
  }, 300_000);

  const state = async (): Promise<StateResource[]> =>
    (JSON.parse((await tf.must(['show', '-json'])).stdout) as { values?: { root_module?: { resources?: StateResource[] } } }).values?.root_module?.resources ?? [];
  const noChanges = async () => {
    const plan = await tf.run(['plan', '-detailed-exitcode', '-no-color'], { vars });
    expect(plan.code, plan.stdout.slice(-6000) + plan.stderr).toBe(0);
  };

  it('applies a VPC, subnets, security groups and rules, a gateway and a route table, and reads the default VPC', async () => {
    await tf.must(['apply', '-auto-approve', '-no-color'], { vars });
    const output = JSON.parse((await tf.must(['output', '-json'])).stdout) as { default_subnets: { value: number } };
    expect(output.default_subnets.value).toBe(6);
  }, 300_000);

  it('plans no change after the apply', noChanges, 120_000);

  it('imports every resource back with nothing to change', async () => {
    const managed = (await state()).filter((r) => r.mode === 'managed');
    expect(managed.length).toBe(9);
    const importId = (r: StateResource) => (r.type === 'aws_route_table_association' ? `${String(r.values.subnet_id)}/${String(r.values.route_table_id)}` : String(r.values.id));
    await tf.must(['state', 'rm', '-no-color', ...managed.map((r) => r.address)]);
    await writeFile(join(tf.dir, 'imports.tf'), managed.map((r) => `import {\n  to = ${r.address}\n  id = ${JSON.stringify(importId(r))}\n}\n`).join(''));
    await tf.must(['plan', '-out', 'import.plan', '-no-color'], { vars });
    const plan = JSON.parse((await tf.must(['show', '-json', 'import.plan'])).stdout) as {
      resource_changes: Array<{ address: string; change: { actions: string[]; importing?: unknown; before: Record<string, unknown>; after: Record<string, unknown> } }>;
    };
    expect(plan.resource_changes.filter((c) => c.change.importing).map((c) => c.address).sort()).toEqual(managed.map((r) => r.address).sort());
    const changed = plan.resource_changes.flatMap((c) => {
      if (c.change.actions.every((a) => a === 'no-op' || a === 'read')) return [];
      const keys = Object.keys({ ...c.change.before, ...c.change.after }).filter((k) => JSON.stringify(c.change.before[k] ?? null) !== JSON.stringify(c.change.after[k] ?? null));
      // Terraform alone keeps revoke_rules_on_delete; the import cannot read it back.
      return keys.filter((k) => k !== 'revoke_rules_on_delete').map((k) => `${c.address}.${k}: ${JSON.stringify(c.change.before[k])} → ${JSON.stringify(c.change.after[k])}`);
    });
    expect(changed).toEqual([]);
    await tf.must(['apply', '-no-color', 'import.plan']);
    await noChanges();
  }, 600_000);

  it('destroys everything it made', async () => {
    await tf.must(['destroy', '-auto-approve', '-no-color'], { vars });
    expect((await tf.must(['state', 'list'])).stdout.trim()).toBe('');
    // Only the default VPC is left, with its own six subnets.
    const vpcs = await awsCli(door.endpoint(), tf.dir, ['ec2', 'describe-vpcs', '--query', 'Vpcs[].IsDefault']);
    expect(JSON.parse(vpcs.stdout)).toEqual([true]);
    const subnets = await awsCli(door.endpoint(), tf.dir, ['ec2', 'describe-subnets', '--query', 'length(Subnets)']);
    expect(JSON.parse(subnets.stdout)).toBe(6);
  }, 300_000);
});
