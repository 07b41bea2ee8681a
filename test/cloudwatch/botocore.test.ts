import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useCloudWatchFrontDoor } from './cloudwatch-fixture.js';

const run = promisify(execFile);
const fixture = useCloudWatchFrontDoor();
const SCENARIO = join(import.meta.dirname, 'botocore_scenario.py');

interface Sent {
  url: string;
  target: string | null;
  smithy: string | null;
  contentType: string;
  /** For Query: the body is a form (or gzipped, so unreadable here). */
  action: boolean;
  encoding: string | null;
}

/** Runs the boto3 scenario over one protocol in its own Python process. */
async function scenario(protocol: string): Promise<Record<string, unknown> & { sent: Sent[] }> {
  const scratch = mkdtempSync(join(fixture.dataDir(), `${protocol}-`));
  const env = { PATH: process.env.PATH, HOME: scratch, AWS_CONFIG_FILE: join(scratch, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'none') };
  const { stdout } = await run('python3', [SCENARIO, fixture.endpoint(), protocol, scratch], { env });
  return JSON.parse(stdout) as Record<string, unknown> & { sent: Sent[] };
}

/** What every protocol must answer to the scenario (numbers as the client parsed them). */
const EXPECTED = {
  statistics: [{ SampleCount: 5, Average: 218, Sum: 1090, Minimum: 10, Maximum: 1000, Unit: 'Milliseconds' }],
  // Nearest rank over 10, 20, 30, 30, 1000.
  percentiles: [{ p50: 30, p99: 1000 }],
  highResolution: [1, 3],
  listed: ['Latency', 'Requests'],
  invalid: { code: 'InvalidParameterValue', message: 'The value 7 for parameter MetricData.member.1.StorageResolution is not valid. Valid values are 1 and 60.' },
  tooMany: {
    code: 'InvalidParameterCombination',
    message: 'You have requested up to 2,880 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
  },
  compressed: { encodings: ['gzip'], listed: 300 },
  refused: { code: 'UnknownOperationException', message: 'ListDashboards is an operation of CloudWatch that this endpoint does not implement.' },
};

// Each protocol is botocore's own serializer and parser: the default one this botocore picks from
// the model's list, and the other two forced by giving it a model that lists only that protocol.
describe.concurrent('boto3 against CloudWatch metrics', () => {
  it.each([
    ['default', 'json', (s: Sent) => s.target?.startsWith('GraniteServiceVersion20100801.') && s.contentType === 'application/x-amz-json-1.0'],
    ['query', 'query', (s: Sent) => s.action && s.contentType.startsWith('application/x-www-form-urlencoded')],
    ['smithy-rpc-v2-cbor', 'smithy-rpc-v2-cbor', (s: Sent) => s.smithy === 'rpc-v2-cbor' && s.url.includes('/service/GraniteServiceVersion20100801/operation/')],
  ])('publishes, reads statistics, lists, runs metric math and gets AWS errors over %s', async (protocol, resolved, spoke) => {
    const out = await scenario(protocol);
    expect(out.protocol).toBe(resolved);
    expect(out.sent.length).toBeGreaterThanOrEqual(9);
    for (const s of out.sent) expect(spoke(s), JSON.stringify(s)).toBe(true);
    const { sent: _sent, protocol: _p, statistics, metricData, ...rest } = out;
    expect((statistics as Array<Record<string, unknown>>).map(({ Timestamp: _t, ...p }) => p)).toEqual(EXPECTED.statistics);
    const t0 = (statistics as Array<{ Timestamp: string }>)[0]!.Timestamp;
    const t1 = new Date(Date.parse(t0) + 60_000).toISOString().replace('.000Z', '+00:00');
    expect(metricData).toEqual([
      { Id: 'req', Label: 'Requests', StatusCode: 'Complete', Values: [40, 8], Timestamps: [t0, t1] },
      // FILL(lat, 0) / req: the maximum latency 1000 over 40 requests, then nothing over 8.
      { Id: 'ratio', Label: 'ratio', StatusCode: 'Complete', Values: [25, 0], Timestamps: [t0, t1] },
    ]);
    const { statistics: _s, ...others } = EXPECTED;
    expect(rest).toEqual(others);
  });
});
