import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useCloudWatchFrontDoor } from './cloudwatch-fixture.js';

const run = promisify(execFile);
const fixture = useCloudWatchFrontDoor();
const SCENARIO = join(import.meta.dirname, 'alarms_scenario.py');
const MIN = 60_000;
const base = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;

/** Runs one phase of the boto3 alarm scenario over one protocol in its own Python process. */
async function scenario(protocol: string, phase: string, scratch: string): Promise<Record<string, unknown>> {
  const env = { PATH: process.env.PATH, HOME: scratch, AWS_CONFIG_FILE: join(scratch, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'none') };
  const { stdout } = await run('python3', [SCENARIO, fixture.endpoint(), protocol, scratch, phase, String(base)], { env });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('boto3 against CloudWatch alarms', () => {
  it.each([
    ['default', 'json'],
    ['query', 'query'],
    ['smithy-rpc-v2-cbor', 'smithy-rpc-v2-cbor'],
  ])('puts, evaluates, describes and deletes alarms over %s', async (protocol, resolved) => {
    const scratch = mkdtempSync(join(fixture.dataDir(), `${protocol}-`));
    const put = await scenario(protocol, 'put', scratch);
    expect(put).toEqual({
      protocol: resolved,
      invalid: { code: 'ValidationError', message: 'The value sometimes for parameter TreatMissingData is invalid. Valid values are breaching, notBreaching, ignore and missing.' },
      stored: 0,
    });
    // Two periods: the breaching datapoint and a gap treated as breaching.
    await fixture.alarms().evaluate(new Date(base + 2 * MIN + 5000));
    const check = await scenario(protocol, 'check', scratch);
    expect(check).toMatchObject({
      metric: {
        StateValue: 'ALARM',
        TreatMissingData: 'breaching',
        EvaluationPeriods: 2,
        StateReason: expect.stringMatching(/^Threshold Crossed: 1 out of the last 2 datapoints \[150\.0 \(.*\)\] was greater than the threshold \(100\.0\) \(minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM transition\)\.$/),
      },
      timestamps: ['datetime', 'datetime'],
      composite: 'ALARM',
      tags: [{ Key: 'app', Value: 'queue' }],
      left: 0,
    });
    expect((check.history as string[][]).map(([type]) => type)).toEqual(['ConfigurationUpdate', 'StateUpdate']);
  });
});
