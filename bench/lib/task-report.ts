/** The task benchmark's report: the machine, targets with pass/fail, and the JSON results files. */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** The machine a run measured. */
export interface Machine {
  cpus: number;
  cpuModel: string;
  totalMemoryMiB: number;
  node: string;
  platform: string;
}

/** The machine this process runs on. */
export function machineInfo(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** A figure against its target. */
export interface Target {
  name: string;
  value: number | undefined;
  unit: string;
  op: '>=' | '<=';
  limit: number;
  pass: boolean;
}

/** A target, passed when the value is known and on the right side of the limit. */
export function target(name: string, value: number | undefined, unit: string, op: Target['op'], limit: number): Target {
  const pass = value !== undefined && Number.isFinite(value) && (op === '>=' ? value >= limit : value <= limit);
  return { name, value, unit, op, limit, pass };
}

/** One line per target: PASS/FAIL, the figure and the limit. */
export function targetLines(targets: readonly Target[]): string[] {
  return targets.map((t) => `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value ?? 'n/a'} ${t.unit} (target ${t.op} ${t.limit})`);
}

/** Writes bench/results/<name>-<timestamp>.json and <name>-latest.json (name: `tasks` unless given); returns the first path. */
export async function writeResults(result: { startedAt: string; name?: string }): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const name = result.name ?? 'tasks';
  const file = join(RESULTS_DIR, `${name}-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  const json = `${JSON.stringify(result, null, 2)}\n`;
  await writeFile(file, json);
  await writeFile(join(RESULTS_DIR, `${name}-latest.json`), json);
  return file;
}
