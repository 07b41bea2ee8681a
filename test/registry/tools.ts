/** Running skopeo and the AWS CLI against a test registry, isolated from any user configuration. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What a command printed and how it ended. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command asynchronously (the registry under test lives in this process) with optional stdin. */
export async function command(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  const child = run(file, args, { env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (options.input !== undefined) {
    child.child.stdin!.end(options.input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  }
}

/** skopeo with a private auth file in `work` (never the user's). */
export function skopeo(work: string, ...args: string[]): Promise<CommandResult> {
  const env = { PATH: process.env.PATH, HOME: work, XDG_RUNTIME_DIR: work, REGISTRY_AUTH_FILE: join(work, 'auth.json') };
  return command('skopeo', args, { env });
}

/** skopeo with stdin. */
export function skopeoWithInput(work: string, input: string, ...args: string[]): Promise<CommandResult> {
  const env = { PATH: process.env.PATH, HOME: work, XDG_RUNTIME_DIR: work, REGISTRY_AUTH_FILE: join(work, 'auth.json') };
  return command('skopeo', args, { env, input });
}

/** The AWS CLI against `endpoint` with the test credentials. */
export function aws(work: string, endpoint: string, ...args: string[]): Promise<CommandResult> {
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(work, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'none'),
    AWS_PAGER: '',
  };
  return command('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], { env });
}
