/**
 * `minato cost` end to end through commander, in-process: registerCost is attached to a fresh
 * Program (the command is not wired into bin/minato.js yet), task definition files are real files,
 * and the shipped pricing data is read from disk as the built CLI reads it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerCost } from '../../src/cli/cost.js';

let dir: string;
const file = (name: string, body: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(body));
  return path;
};

async function run(args: string[]): Promise<string> {
  const program = new Command('minato').exitOverride();
  registerCost(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'minato', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'minato-cost-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('minato cost', () => {
  it('reproduces the reference figures to the cent (JSON)', async () => {
    // A DescribeTaskDefinition output: 2 vCPU; the container may use 4 GiB and reserves 3.5 GiB.
    const td = file('web.json', { taskDefinition: { family: 'web', cpu: '2048', requiresCompatibilities: ['EC2', 'FARGATE'], containerDefinitions: [{ name: 'app', image: 'busybox', memory: 4096, memoryReservation: 3584 }] } });
    const report = JSON.parse(await run(['cost', '--task-definition', td, '--region', 'ap-northeast-1', '--hours', '732', '--instance-type', 'c7i.large', '--json'])) as {
      options: { id: string; monthlyUsd: number | null; detail: string }[];
    };
    const by = Object.fromEntries(report.options.map((o) => [o.id, o]));
    expect(by['ec2-on-demand-x86_64']).toMatchObject({ monthlyUsd: 82.24, detail: '1 x c7i.large' });
    expect(by['fargate-x86_64']).toMatchObject({ monthlyUsd: 90.21 });
    for (const o of report.options) expect(o).toHaveProperty('monthlyUsd');
  });

  it('reproduces them for a full 4 GiB reservation when the OS share is set to 0, and converts currency', async () => {
    const td = file('web4.json', { family: 'web4', cpu: '2 vCPU', memory: '4 GB', containerDefinitions: [{ name: 'app', image: 'busybox' }] });
    const report = JSON.parse(
      await run(['cost', '--task-definition', td, '--region', 'ap-northeast-1', '--hours', '732', '--instance-type', 'c7i.large', '--os-memory-overhead-percent', '0', '--currency', 'JPY', '--exchange-rate', '150', '--json']),
    ) as { options: { id: string; monthlyUsd: number; monthly: number; currency: string }[] };
    const by = Object.fromEntries(report.options.map((o) => [o.id, o]));
    expect(by['ec2-on-demand-x86_64']).toMatchObject({ monthlyUsd: 82.24, monthly: 12336.03, currency: 'JPY' });
    expect(by['fargate-x86_64']).toMatchObject({ monthlyUsd: 90.21, monthly: 13531.22 });
  });

  it('prints a table by default, with the cheapest option marked and derived prices explained', async () => {
    const td = file('api.json', { family: 'api', containerDefinitions: [{ name: 'a', image: 'x', cpu: 512, memory: 1024 }] });
    const text = await run(['cost', '--task-definition', td, '--count', '30']);
    expect(text).toMatch(/30 task\(s\) of api in us-east-1, 730 h per month/);
    expect(text).toMatch(/^Fargate \(x86_64\)\s+\d+\.\d\d\s+30 x api 0\.5 vCPU\/1 GB\s+measured$/m);
    expect(text).toMatch(/ \*\s/);
    expect(text).toMatch(/fargate-spot-ratio: Fargate Spot rate = on-demand rate x 0\.329559/);
  });

  it('refuses --cluster for now, and --currency without a rate', async () => {
    await expect(run(['cost', '--cluster', 'prod'])).rejects.toThrow(/--cluster is not yet available/);
    const td = file('x.json', { family: 'x', containerDefinitions: [{ name: 'a', image: 'x', memory: 128 }] });
    await expect(run(['cost', '--task-definition', td, '--currency', 'JPY'])).rejects.toThrow(/needs --exchange-rate/);
  });

  it('imports an offer file into a price snapshot', async () => {
    const out = join(dir, 'offer-test.json');
    const text = await run(['cost-import', '--offer-file', new URL('../../src/capacity/importer/offer-file.sample.json', import.meta.url).pathname, '--out', out, '--retrieved', '2026-11-02']);
    expect(text).toMatch(/4 of 9 products kept \(ap-northeast-1, us-east-1\)/);
  });
});
