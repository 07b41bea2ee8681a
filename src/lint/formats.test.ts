import { describe, expect, it } from 'vitest';
import { formatFindings, formatJson, formatTerminal, sarifLog } from './formats.js';
import { lintDockerfile, type Finding } from './lint-dockerfile.js';

const findings: Finding[] = lintDockerfile('FROM debian:latest\nMAINTAINER x\nRUN apt-get install -y --no-install-recommends curl\n', { file: 'app/Dockerfile' });

describe('formats', () => {
  it("terminal: hadolint's `file:line code level: message` lines", () => {
    expect(formatTerminal(findings).split('\n')).toEqual([
      'app/Dockerfile:1 DL3007 warning: Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag',
      'app/Dockerfile:2 DL4000 error: MAINTAINER is deprecated',
      'app/Dockerfile:3 DL3008 info: Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`',
      '',
    ]);
    expect(formatTerminal([])).toBe('');
  });

  it("json: hadolint's array of {line, code, message, column, file, level}", () => {
    const parsed = JSON.parse(formatJson(findings)) as Record<string, unknown>[];
    expect(parsed).toHaveLength(3);
    expect(parsed[1]).toEqual({ line: 2, code: 'DL4000', message: 'MAINTAINER is deprecated', column: 1, file: 'app/Dockerfile', level: 'error' });
    for (const entry of parsed) expect(Object.keys(entry).sort()).toEqual(['code', 'column', 'file', 'level', 'line', 'message']);
    expect(JSON.parse(formatFindings([], 'json'))).toEqual([]);
  });

  it('sarif: a structurally valid SARIF 2.1.0 log', () => {
    const log = JSON.parse(formatFindings(findings, 'sarif', '1.2.3')) as SarifLog;
    assertSarif(log);
    const run = log.runs[0]!;
    expect(run.tool.driver.version).toBe('1.2.3');
    expect(run.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['DL3007', 'warning', 1],
      ['DL4000', 'error', 2],
      ['DL3008', 'note', 3],
    ]);
    assertSarif(sarifLog([]) as SarifLog);
  });
});

interface SarifLog {
  version: string;
  $schema: string;
  runs: {
    tool: { driver: { name: string; version?: string; rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
    }[];
  }[];
}

/** The constraints of the SARIF 2.1.0 schema that these logs touch. */
function assertSarif(log: SarifLog): void {
  expect(log.version).toBe('2.1.0');
  expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  expect(Array.isArray(log.runs)).toBe(true);
  for (const run of log.runs) {
    expect(typeof run.tool.driver.name).toBe('string');
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(['none', 'note', 'warning', 'error']).toContain(rule.defaultConfiguration.level);
    }
    for (const result of run.results) {
      expect(['none', 'note', 'warning', 'error']).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(0);
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
      expect(result.locations.length).toBeGreaterThan(0);
      for (const { physicalLocation } of result.locations) {
        expect(physicalLocation.artifactLocation.uri.length).toBeGreaterThan(0);
        expect(Number.isInteger(physicalLocation.region.startLine) && physicalLocation.region.startLine >= 1).toBe(true);
        expect(Number.isInteger(physicalLocation.region.startColumn) && physicalLocation.region.startColumn >= 1).toBe(true);
      }
    }
  }
}
