import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Command } from 'commander';
import { toCents } from '../capacity/cost-options.js';
import { CpuThreshold, rightsize, type Recommendation, type RightsizingPreferences } from '../capacity/rightsizing.js';
import { usageFromPerformanceEvents } from '../capacity/rightsizing-usage.js';
import { Arch } from '../capacity/types.js';
import { loadCatalog } from './cost.js';

/** Flag values as commander hands them over. */
interface RightsizeFlags {
  cluster: string;
  endpoint: string;
  region: string;
  since: string;
  hours: string;
  cpuThreshold: string;
  cpuHeadroom: string;
  memoryHeadroom: string;
  arch: string;
  pricingDir?: string;
  json?: boolean;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A lookback such as `90s`, `30m`, `6h`, `14d` or `2w`, in milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
  if (!m || !(Number(m[1]) > 0)) throw new Error(`--since must be a positive duration such as 30m, 6h or 14d, got "${text}"`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

const percent = (raw: string, name: string): number => {
  const n = Number(raw);
  if (!(Number.isFinite(n) && n >= 0 && n <= 100)) throw new Error(`${name} must be a percentage from 0 to 100, got "${raw}"`);
  return n;
};

/** One signed CloudWatch Logs call (JSON 1.1) with the plain fetch the CLI ships with. */
async function logsCall(endpoint: string, region: string, operation: string, input: object): Promise<Record<string, unknown>> {
  const url = new URL(endpoint);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test', ...(process.env.AWS_SESSION_TOKEN && { sessionToken: process.env.AWS_SESSION_TOKEN }) },
    region,
    service: 'logs',
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port && { port: Number(url.port) }),
    path: url.pathname || '/',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${operation}` },
    body,
  });
  // fetch sets Host itself; the signature covered the same value.
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k.toLowerCase() !== 'host'));
  const res = await fetch(new URL(url.pathname || '/', url), { method: 'POST', headers, body });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const type = String(json.__type ?? res.status).split('#').pop();
    throw Object.assign(new Error(`${operation}: ${type}: ${String(json.message ?? json.Message ?? '')}`), { type });
  }
  return json;
}

/** Every message of the cluster's Task performance events since `startTime` (bounded number of pages). */
async function readTaskEvents(flags: RightsizeFlags, group: string, startTime: number, endTime: number): Promise<unknown[]> {
  const out: unknown[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const res = await logsCall(flags.endpoint, flags.region, 'FilterLogEvents', {
      logGroupName: group,
      startTime,
      endTime,
      filterPattern: '{ $.Type = "Task" }',
      ...(nextToken && { nextToken }),
    }).catch((err: Error & { type?: string }) => {
      if (err.type === 'ResourceNotFoundException') {
        throw new Error(`no performance events for cluster ${flags.cluster}: log group ${group} does not exist (is its containerInsights setting enabled?)`);
      }
      throw err;
    });
    for (const e of (res.events as Array<{ message?: string }> | undefined) ?? []) {
      try {
        out.push(JSON.parse(e.message ?? ''));
      } catch {
        out.push(undefined);
      }
    }
    nextToken = res.nextToken as string | undefined;
    if (!nextToken) return out;
  }
  throw new Error('too many pages of performance events; narrow --since');
}

/** The `minato rightsize` answer as data and as text. */
export async function runRightsize(flags: RightsizeFlags, now = Date.now()): Promise<{ report: Record<string, unknown>; text: string }> {
  const lookback = parseDuration(flags.since);
  const threshold = Object.values(CpuThreshold).find((t) => t === flags.cpuThreshold.toUpperCase().replace('.', '_'));
  if (!threshold) throw new Error(`--cpu-threshold must be one of ${Object.values(CpuThreshold).join(', ')}, got "${flags.cpuThreshold}"`);
  const hours = Number(flags.hours);
  if (!(hours > 0)) throw new Error(`--hours must be a positive number, got "${flags.hours}"`);
  const arch = Object.values(Arch).find((a) => a === flags.arch);
  if (!arch) throw new Error(`--arch must be one of ${Object.values(Arch).join(', ')}`);
  const prefs: RightsizingPreferences = { cpuThreshold: threshold, cpuHeadroomPercent: percent(flags.cpuHeadroom, '--cpu-headroom'), memoryHeadroomPercent: percent(flags.memoryHeadroom, '--memory-headroom'), hoursPerMonth: hours };
  const book = loadCatalog(flags.pricingDir).regions.get(flags.region);
  if (!book) throw new Error(`no Fargate prices for region ${flags.region}`);
  const rates = book.fargate[arch];
  const group = `/aws/ecs/containerinsights/${flags.cluster}/performance`;
  const summary = usageFromPerformanceEvents(await readTaskEvents(flags, group, now - lookback, now));
  const recommendations = rightsize(summary.usages, rates, prefs);
  const totalSavings = toCents(recommendations.reduce((s, r) => s + r.savings.monthlyUsd, 0));
  const report = {
    cluster: flags.cluster,
    region: flags.region,
    logGroup: group,
    lookback: { since: flags.since, startTime: now - lookback, endTime: now, ...(summary.from !== undefined && { firstEvent: summary.from, lastEvent: summary.to }) },
    events: { task: summary.taskEvents, skipped: summary.skipped },
    preferences: prefs,
    pricing: { launchType: 'FARGATE', arch, usdPerVcpuHour: rates.vcpuHour.usdPerHour, usdPerGbHour: rates.gbHour.usdPerHour, basis: [rates.vcpuHour.basis, rates.gbHour.basis] },
    recommendations,
    totalMonthlySavingsUsd: totalSavings,
  };
  return { report, text: table(recommendations, flags, summary.taskEvents, totalSavings) };
}

function table(recs: readonly Recommendation[], flags: RightsizeFlags, events: number, total: number): string {
  if (recs.length === 0) return `no Task performance events for cluster ${flags.cluster} in the last ${flags.since}`;
  const size = (s: { cpu: number; memoryMiB: number }) => `${s.cpu / 1024} vCPU / ${s.memoryMiB / 1024} GB`;
  const head = ['family', 'finding', 'current', 'USD/month', 'recommended', 'USD/month', 'saving USD/month'];
  const rows = recs.map((r) => [r.family, r.finding, size(r.current), r.current.monthlyUsd.toFixed(2), size(r.recommended), r.recommended.monthlyUsd.toFixed(2), `${r.savings.monthlyUsd.toFixed(2)} (${r.savings.percent}%)`]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => ([3, 5, 6].includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [
    `${recs.length} task famil${recs.length === 1 ? 'y' : 'ies'} of cluster ${flags.cluster} in ${flags.region}, ${events} Task event(s) over the last ${flags.since}, Fargate prices, ${flags.hours} h per month`,
    '',
    line(head),
    ...rows.map(line),
    '',
    `projected saving: ${total.toFixed(2)} USD/month`,
    'reasons:',
    ...recs.map((r) => `  ${r.family}: ${r.reason}${r.findingReasons.length ? ` [${r.findingReasons.join(', ')}]` : ''}`),
  ].join('\n');
}

/** `minato rightsize`. */
export function registerRightsize(program: Command): void {
  program
    .command('rightsize')
    .description('recommend Fargate task sizes from the CPU and memory use Container Insights observed, with the projected saving')
    .requiredOption('--cluster <name>', 'cluster whose performance events to read (its containerInsights setting must be enabled)')
    .option('--endpoint <url>', 'the platform endpoint', process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566')
    .option('--region <region>', 'region of the cluster and of the prices', process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1')
    .option('--since <duration>', 'lookback period (Compute Optimizer looks back 14 days)', '14d')
    .option('--hours <h>', 'hours per month', '730')
    .option('--cpu-threshold <p>', 'CPU statistic the need is taken from: P90, P95, P99_5 or MAX', 'P99_5')
    .option('--cpu-headroom <percent>', 'headroom added to the CPU statistic', '20')
    .option('--memory-headroom <percent>', 'headroom added to the maximum memory use', '20')
    .option('--arch <arch>', 'Fargate architecture to price: x86_64 or arm64', 'x86_64')
    .option('--pricing-dir <dir>', 'pricing sources to use instead of the shipped ones')
    .option('--json', 'print JSON')
    .action(async (flags: RightsizeFlags) => {
      const { report, text } = await runRightsize(flags);
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${text}\n`);
    });
}
