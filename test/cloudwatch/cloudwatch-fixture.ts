import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { cloudWatchService } from '../../src/api/cloudwatch/cloudwatch-service.js';
import { openMetricService, type MetricService } from '../../src/metrics/metric-service.js';
import { startFrontDoor, type TestFrontDoor } from '../support/front-door.js';

/** A CloudWatch front door for one test file, over its own metrics.db. */
export interface CloudWatchFixture {
  endpoint(): string;
  metrics(): MetricService;
  /** A scratch directory, removed after the file's tests. */
  dataDir(): string;
}

/** Starts the metric service and a front door serving it (beforeAll); stops and removes both (afterAll). */
export function useCloudWatchFrontDoor(): CloudWatchFixture {
  let dir: string | undefined;
  let metrics: MetricService | undefined;
  let door: TestFrontDoor | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-cloudwatch-'));
    metrics = openMetricService(join(dir, 'metrics.db'));
    door = await startFrontDoor([cloudWatchService(metrics)]);
  });
  afterAll(async () => {
    await door?.close();
    metrics?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return { endpoint: () => door!.endpoint, metrics: () => metrics!, dataDir: () => dir! };
}
