import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Terraform and the hashicorp/aws provider, run as users run them. Neither comes from Debian and
 * the tests have no internet, so the provider must be in a local filesystem mirror: the folder named
 * by MINATO_TERRAFORM_PLUGINS, one of Terraform's implied local mirror folders, or a folder directly
 * under /opt that holds `registry.terraform.io/hashicorp/aws`. Without both, the tests are skipped.
 */
export interface Terraform {
  /** The working directory: a copy of the configuration. */
  dir: string;
  run(args: readonly string[], options?: { vars?: Record<string, string | number> }): Promise<TerraformResult>;
  /** Runs and throws with Terraform's output when the exit code is not `expected` (default 0). */
  must(args: readonly string[], options?: { vars?: Record<string, string | number>; expected?: number }): Promise<TerraformResult>;
  dispose(): Promise<void>;
}

export interface TerraformResult {
  code: number;
  stdout: string;
  stderr: string;
}

const PROVIDER = join('registry.terraform.io', 'hashicorp', 'aws');

/** The provider mirror folder (the one above `registry.terraform.io`), if there is one. */
export function findProviderMirror(): string | undefined {
  const candidates = [
    process.env.MINATO_TERRAFORM_PLUGINS,
    join(homedir(), '.terraform.d', 'plugins'),
    join(homedir(), '.local', 'share', 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
    ...subfolders('/opt'),
  ];
  return candidates.find((dir): dir is string => dir !== undefined && existsSync(join(dir, PROVIDER)));
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

/**
 * The provider mirror when Terraform can run here (`terraform` on the PATH and a mirror found),
 * else undefined — after saying once why the Terraform tests are skipped.
 */
export function terraformMirror(): string | undefined {
  const mirror = findProviderMirror();
  let hasTerraform = true;
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore', timeout: 30_000 });
  } catch {
    hasTerraform = false;
  }
  if (mirror !== undefined && hasTerraform) return mirror;
  // eslint-disable-next-line no-console -- the run says why a whole acceptance suite did not run
  console.warn(`Terraform tests skipped: ${hasTerraform ? 'no local mirror of the hashicorp/aws provider found' : 'terraform is not on the PATH'}.`);
  return undefined;
}

/** Copies `configDir` into a fresh directory and prepares Terraform to run there, offline. */
export async function prepareTerraform(configDir: string, mirror: string): Promise<Terraform> {
  const dir = await mkdtemp(join(tmpdir(), 'minato-terraform-'));
  await cp(configDir, dir, { recursive: true });
  const cliConfig = join(dir, 'offline.tfrc');
  await writeFile(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    TF_DATA_DIR: join(dir, '.terraform'),
  };
  const run = (args: readonly string[], options: { vars?: Record<string, string | number> } = {}) =>
    new Promise<TerraformResult>((resolve) => {
      // Options go before the positional arguments (import takes ADDR ID last).
      const vars = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
      execFile('terraform', [args[0]!, ...vars, ...args.slice(1)], { cwd: dir, env, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  return {
    dir,
    run,
    async must(args, options = {}) {
      const result = await run(args, options);
      if (result.code !== (options.expected ?? 0)) {
        throw new Error(`terraform ${args.join(' ')} exited ${result.code}:\n${result.stderr}\n${result.stdout.slice(-4000)}`);
      }
      return result;
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
