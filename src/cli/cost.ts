import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { basisCounts, buildCatalog, type Catalog } from '../capacity/catalog.js';
import { costOptions, toCents, type CostItem, type CostOption } from '../capacity/cost-options.js';
import { importOfferFile } from '../capacity/importer/offer-file.js';
import { DEFAULT_CAPACITY_MODEL, type CapacityModel } from '../capacity/offerings.js';
import { parseFargateDoc, parseInstanceTypesDoc, parsePriceSnapshotDoc } from '../capacity/sources.js';
import { taskShape } from '../capacity/task-definition.js';

/** The shipped pricing sources: data/pricing/sources at the package root (same path from src/ and dist/). */
export const SHIPPED_PRICING_DIR = fileURLToPath(new URL('../../data/pricing/sources/', import.meta.url));

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/**
 * Loads the catalog from a pricing directory: the instance-type file, the Fargate file, the
 * snapshot excerpt, then every `offer-*.json` written by `minato cost-import` (later files win).
 */
export function loadCatalog(dir: string = SHIPPED_PRICING_DIR): Catalog {
  const offers = readdirSync(dir).filter((f) => /^offer-.*\.json$/.test(f)).sort();
  return buildCatalog({
    instanceTypes: parseInstanceTypesDoc(readJson(join(dir, 'karpenter-instance-types.json')), 'karpenter-instance-types'),
    fargate: parseFargateDoc(readJson(join(dir, 'fargate-prices.json')), 'fargate-prices'),
    snapshots: [
      parsePriceSnapshotDoc(readJson(join(dir, 'skypilot-catalog-excerpt.json')), 'skypilot-catalog-excerpt'),
      ...offers.map((f) => parsePriceSnapshotDoc(readJson(join(dir, f)), f.replace(/\.json$/, ''))),
    ],
  });
}

/** Flag values as commander hands them over. */
interface CostFlags {
  taskDefinition: string[];
  count: string[];
  cluster?: string;
  region: string;
  hours: string;
  instanceType?: string;
  currency: string;
  exchangeRate?: string;
  ecsReservedMemory: string;
  osMemoryOverheadPercent: string;
  pricingDir?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function positive(raw: string, name: string, integer = false): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
  return n;
}

/** The `minato cost` answer as data. */
export function runCost(flags: CostFlags): { report: Record<string, unknown>; options: CostOption[]; text: string } {
  if (flags.cluster !== undefined) throw new Error('--cluster is not yet available: it needs the task runner; pass --task-definition files instead');
  if (flags.taskDefinition.length === 0) throw new Error('give at least one --task-definition FILE');
  const counts = flags.count.map((c) => positive(c, '--count', true));
  if (counts.length > 1 && counts.length !== flags.taskDefinition.length) throw new Error('give one --count, or one per --task-definition in the same order');
  const items: CostItem[] = flags.taskDefinition.map((file, i) => ({ shape: taskShape(readJson(file)), count: counts[i] ?? counts[0] ?? 1 }));
  const hours = positive(flags.hours, '--hours');
  const currency = flags.currency.toUpperCase();
  if (currency !== 'USD' && flags.exchangeRate === undefined) throw new Error(`--currency ${currency} needs --exchange-rate (units of ${currency} per USD)`);
  const rate = flags.exchangeRate === undefined ? 1 : positive(flags.exchangeRate, '--exchange-rate');
  const overhead = Number(flags.osMemoryOverheadPercent);
  const reserved = Number(flags.ecsReservedMemory);
  if (!(overhead >= 0 && overhead < 100)) throw new Error('--os-memory-overhead-percent must be from 0 to below 100');
  if (!(Number.isInteger(reserved) && reserved >= 0)) throw new Error('--ecs-reserved-memory must be a non-negative integer (MiB)');
  const model: CapacityModel = { osMemoryFraction: 1 - overhead / 100, reservedMemoryMiB: reserved };
  const catalog = loadCatalog(flags.pricingDir);
  const options = costOptions({ items, catalog, region: flags.region, hoursPerMonth: hours, ...(flags.instanceType ? { instanceType: flags.instanceType } : {}), model });
  const withCurrency = options.map((o) => ({ ...o, ...(currency !== 'USD' ? { monthly: o.usdPerHour === null ? null : toCents(o.usdPerHour * hours * rate), currency } : {}) }));
  const cheapest = options.filter((o) => o.monthlyUsd !== null).sort((a, b) => a.monthlyUsd! - b.monthlyUsd!)[0];
  const book = catalog.regions.get(flags.region)!;
  const usedRules = [...new Set(options.flatMap((o) => o.rules))].sort();
  const report = {
    region: flags.region,
    hoursPerMonth: hours,
    currency,
    ...(currency !== 'USD' ? { exchangeRate: rate } : {}),
    tasks: items.map((i) => ({ family: i.shape.family, count: i.count, ec2Reservation: i.shape.ec2, fargateMinimum: i.shape.fargate, ...(i.shape.arch ? { arch: i.shape.arch } : {}) })),
    assumptions: {
      ecsReservedMemoryMiB: model.reservedMemoryMiB,
      osMemoryOverheadPercent: overhead,
      note: 'EC2: ECS registers 1024 CPU units per vCPU and the memory the OS reports; the overhead default (2.53%) is AWS\'s m4.large example (8192 MiB nominal, 7985 MiB registered). Fargate bills the task size rounded up to a valid size, per second. Storage, network and load balancers are excluded.',
    },
    cheapest: cheapest ? cheapest.id : null,
    options: withCurrency,
    rules: Object.fromEntries(usedRules.map((r) => [r, catalog.rules[r]])),
    catalog: { sources: catalog.sources, basis: basisCounts(book) },
  };
  return { report, options, text: table(withCurrency, items, flags.region, hours, currency, rate, usedRules, catalog, cheapest?.id) };
}

function table(options: (CostOption & { monthly?: number | null })[], items: readonly CostItem[], region: string, hours: number, currency: string, rate: number, rules: string[], catalog: Catalog, cheapest?: string): string {
  const money = currency === 'USD' ? 'monthly USD' : `monthly ${currency}`;
  const rows = options.map((o) => [
    o.label + (o.id === cheapest ? ' *' : ''),
    o.monthlyUsd === null ? 'n/a' : o.monthlyUsd.toFixed(2),
    ...(currency !== 'USD' ? [o.monthly == null ? 'n/a' : o.monthly.toFixed(2)] : []),
    o.detail,
    o.monthlyUsd === null ? '-' : o.basis === 'derived' ? `derived (${o.rules.join(', ')})` : 'measured',
  ]);
  const head = ['option', 'monthly USD', ...(currency !== 'USD' ? [money] : []), 'runs on', 'prices'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 1 || (currency !== 'USD' && i === 2) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const notes = options.flatMap((o) => o.notes.map((n) => `  ${o.label}: ${n}`));
  return [
    `${items.reduce((s, i) => s + i.count, 0)} task(s) of ${items.map((i) => i.shape.family).join(', ')} in ${region}, ${hours} h per month${currency !== 'USD' ? `, ${rate} ${currency} per USD` : ''}`,
    '',
    line(head),
    ...rows.map(line),
    '',
    '* cheapest option',
    ...(notes.length ? ['notes:', ...notes] : []),
    ...(rules.length ? ['derived prices:', ...rules.map((r) => `  ${r}: ${catalog.rules[r]}`)] : []),
    'assumptions: ECS registers 1024 CPU units per vCPU and ~97.5% of nominal memory (AWS\'s m4.large example: 7985 of 8192 MiB); ECS_RESERVED_MEMORY 0; Fargate sizes rounded up to valid sizes; storage and network excluded.',
  ].join('\n');
}

/** `minato cost` and `minato cost-import`. */
export function registerCost(program: Command): void {
  program
    .command('cost')
    .description('what a set of task definitions costs on Fargate, Fargate Spot, EC2 on demand and EC2 Spot (x86_64 and Graviton)')
    .option('--task-definition <file>', 'RegisterTaskDefinition input or DescribeTaskDefinition output (JSON); repeatable', collect, [])
    .option('--count <n>', 'tasks of each definition (one value for all, or one per --task-definition)', collect, [])
    .option('--cluster <name>', 'price what runs in a cluster (not yet available)')
    .option('--region <region>', 'region to price in', 'us-east-1')
    .option('--hours <h>', 'hours per month (the reference month of 30.5 days is 732)', '730')
    .option('--instance-type <type>', 'pin EC2 options of its architecture to this instance type')
    .option('--currency <code>', 'currency for the extra monthly column', 'USD')
    .option('--exchange-rate <rate>', 'units of --currency per USD')
    .option('--ecs-reserved-memory <MiB>', 'ECS_RESERVED_MEMORY on container instances', '0')
    .option('--os-memory-overhead-percent <p>', 'share of nominal memory the OS keeps from ECS', ((1 - DEFAULT_CAPACITY_MODEL.osMemoryFraction) * 100).toFixed(2))
    .option('--pricing-dir <dir>', 'pricing sources to use instead of the shipped ones')
    .option('--json', 'print JSON')
    .action((flags: CostFlags) => {
      const { report, text } = runCost(flags);
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${text}\n`);
    });
  program
    .command('cost-import')
    .description("refresh EC2 on-demand prices from AWS's Price List offer file (AmazonEC2 index.json of a region)")
    .requiredOption('--offer-file <file>', 'the offer file to read')
    .option('--out <file>', 'where to write the price snapshot (default: offer-<region>.json in the shipped pricing directory)')
    .option('--retrieved <date>', 'when the offer file was downloaded', new Date().toISOString().slice(0, 10))
    .action((flags: { offerFile: string; out?: string; retrieved: string }) => {
      const imported = importOfferFile(readJson(flags.offerFile), flags.retrieved);
      const regions = Object.keys(imported.onDemandUsdPerHour);
      if (regions.length === 0) throw new Error(`no Linux on-demand instance prices in ${flags.offerFile}`);
      const out = flags.out ?? join(SHIPPED_PRICING_DIR, `offer-${regions.join('+')}.json`);
      const { counts, ...doc } = imported;
      writeFileSync(out, `${JSON.stringify(doc, null, 1)}\n`);
      process.stdout.write(`${counts.kept} of ${counts.products} products kept (${regions.join(', ')}); wrote ${out}\n`);
    });
}
