import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll } from 'vitest';
import { logsService } from '../../src/api/logs/logs-service.js';
import { openLogService, type LogService } from '../../src/logstore/log-service.js';
import { startFrontDoor, type TestFrontDoor } from '../support/front-door.js';

/** A CloudWatch Logs front door for one test file: its own data dir, a real SDK client. */
export interface LogsFixture {
  /** The SDK client (us-east-1, test/test). */
  client(): CloudWatchLogsClient;
  /** The log service behind the front door, for in-process calls (appendEvents, sweeps). */
  logs(): LogService;
  /** The front door's endpoint URL. */
  endpoint(): string;
  /** The data directory (removed after the file's tests). */
  dataDir(): string;
}

/** Starts the log service and a front door serving it (beforeAll); stops and removes both (afterAll). */
export function useLogsFrontDoor(): LogsFixture {
  let dir: string | undefined;
  let logs: LogService | undefined;
  let door: TestFrontDoor | undefined;
  let client: CloudWatchLogsClient | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minato-logs-'));
    logs = openLogService(join(dir, 'logs.db'));
    door = await startFrontDoor([logsService(logs)]);
    client = new CloudWatchLogsClient({
      endpoint: door.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client?.destroy();
    await door?.close();
    await logs?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return { client: () => client!, logs: () => logs!, endpoint: () => door!.endpoint, dataDir: () => dir! };
}
