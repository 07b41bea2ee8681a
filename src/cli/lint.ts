import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { formatFindings, type LintFormat } from '../lint/formats.js';
import { failsLint, lintDockerfile, type Finding } from '../lint/lint-dockerfile.js';

interface LintFlags {
  format: LintFormat;
  ignore: string[];
}

/**
 * Lints Dockerfiles: the report goes to stdout, and the exit status is 1 when an error or a
 * warning remains after the ignores, 0 otherwise. A file that cannot be read is reported on
 * stderr and exits 2, before anything is printed.
 */
export function runLint(files: readonly string[], flags: LintFlags, read: (file: string) => string = (f) => readFileSync(f, 'utf8')): { output: string; exitCode: number } {
  const findings: Finding[] = files.flatMap((file) => lintDockerfile(read(file), { file, ignore: flags.ignore }));
  return { output: formatFindings(findings, flags.format), exitCode: failsLint(findings) ? 1 : 0 };
}

const collect = (value: string, previous: string[]): string[] => [...previous, ...value.split(',').map((c) => c.trim()).filter(Boolean)];

/** `minato lint [--format terminal|json|sarif] [--ignore DLxxxx]… Dockerfile…`. */
export function registerLint(program: Command): void {
  program
    .command('lint')
    .description("lint Dockerfiles with hadolint's rules; exits 1 when an error or a warning remains")
    .argument('<dockerfiles...>', 'the Dockerfiles to lint')
    .addOption(new Option('--format <format>', 'output format').choices(['terminal', 'json', 'sarif']).default('terminal'))
    .option('--ignore <code>', 'a rule to leave out (repeatable, or comma-separated)', collect, [])
    .action((files: string[], flags: LintFlags) => {
      let result: { output: string; exitCode: number };
      try {
        result = runLint(files, flags);
      } catch (err) {
        process.stderr.write(`minato: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      process.stdout.write(result.output);
      process.exitCode = result.exitCode;
    });
}
