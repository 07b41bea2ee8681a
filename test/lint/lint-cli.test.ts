/**
 * `minato lint` as a user runs it: the built CLI (`npx tsc -p tsconfig.build.json` first) in its
 * own process, on Dockerfiles in a temporary directory; exit statuses and the JSON report.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINATO_BIN } from '../support/minato-process.js';

let dir: string;

function minato(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MINATO_BIN, ...args], { cwd: dir, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'minato-lint-'));
  writeFileSync(join(dir, 'Dockerfile.bad'), 'FROM debian:latest\n# hadolint ignore=DL3004\nRUN sudo make\nWORKDIR app\n');
  writeFileSync(join(dir, 'Dockerfile.good'), 'FROM debian:12\nWORKDIR /app\nCOPY app.py ./\nUSER app\nCMD ["python", "app.py"]\n');
  writeFileSync(join(dir, 'Dockerfile.info'), 'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('minato lint', () => {
  it('exits 1 with the findings as JSON when an error or a warning remains', async () => {
    const { code, stdout } = await minato(['lint', '--format', 'json', 'Dockerfile.bad']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([
      { line: 1, code: 'DL3007', message: 'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag', column: 1, file: 'Dockerfile.bad', level: 'warning' },
      { line: 4, code: 'DL3000', message: 'Use absolute WORKDIR', column: 1, file: 'Dockerfile.bad', level: 'error' },
    ]);
  });

  it('exits 0 when only ignored or informational findings remain', async () => {
    const ignored = await minato(['lint', '--format', 'json', '--ignore', 'DL3007', '--ignore', 'DL3000', 'Dockerfile.bad', 'Dockerfile.good']);
    expect(ignored).toMatchObject({ code: 0, stdout: '[]\n' });
    const info = await minato(['lint', 'Dockerfile.info']);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/^Dockerfile\.info:2 DL3008 info: Pin versions in apt get install/);
  });

  it('writes SARIF and reports every file given', async () => {
    const { code, stdout } = await minato(['lint', '--format', 'sarif', 'Dockerfile.good', 'Dockerfile.bad']);
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results.map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri} ${r.ruleId}`)).toEqual(['Dockerfile.bad DL3007', 'Dockerfile.bad DL3000']);
  });

  it('exits 2 for a file it cannot read, and refuses an unknown format', async () => {
    const missing = await minato(['lint', 'Dockerfile.missing']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Dockerfile\.missing/);
    const format = await minato(['lint', '--format', 'xml', 'Dockerfile.good']);
    expect(format.code).not.toBe(0);
    expect(format.stderr).toMatch(/xml/);
  });
});
