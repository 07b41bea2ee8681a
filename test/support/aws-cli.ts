import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What a CLI run printed and how it exited. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the AWS CLI against `endpoint` with the test credentials, isolated from any user
 * configuration (`home` holds no config; JSON output; no pager), plus `extraEnv`. Never throws for a
 * non-zero exit.
 */
export async function awsCli(endpoint: string, home: string, args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    AWS_PAGER: '',
    ...extraEnv,
  };
  try {
    const { stdout, stderr } = await run('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
