import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { cloudWatchService } from '../../src/api/cloudwatch/cloudwatch-service.js';
import { AlarmService } from '../../src/metrics/alarms/alarm-service.js';
import { openMetricService, type MetricService } from '../../src/metrics/metric-service.js';
import { startFrontDoor, type TestFrontDoor } from '../support/front-door.js';

/** A CloudWatch front door for one test file, over its own metrics.db. */
export interface CloudWatchFixture {
  endpoint(): string;
  metrics(): MetricService;
  /** The alarms (tests run evaluation rounds through it rather than wait for the schedule). */
  alarms(): AlarmService;
  /** A scratch directory, removed after the file's tests. */
  dataDir(): string;
}

/** Starts the metric service and a front door serving it (beforeAll); stops and removes both (afterAll). */
export function useCloudWatchFrontDoor(): CloudWatchFixture {
  let dir: string | undefined;
  let metrics: MetricService | undefined;
  let alarms: AlarmService | undefined;
  let door: TestFrontDoor | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-cloudwatch-'));
    metrics = openMetricService(join(dir, 'metrics.db'));
    alarms = new AlarmService(metrics);
    door = await startFrontDoor([cloudWatchService(metrics, alarms)]);
  });
  afterAll(async () => {
    await door?.close();
    await metrics?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return { endpoint: () => door!.endpoint, metrics: () => metrics!, alarms: () => alarms!, dataDir: () => dir! };
}
