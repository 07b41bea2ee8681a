import type { Finding } from './lint-dockerfile.js';
import { RULES } from './lint-dockerfile.js';

export type LintFormat = 'terminal' | 'json' | 'sarif';

/** hadolint's tty format: `Dockerfile:3 DL3007 warning: Using latest is prone to errors…`. */
export const formatTerminal = (findings: readonly Finding[]): string => findings.map((f) => `${f.file}:${f.line} ${f.code} ${f.level}: ${f.message}\n`).join('');

/** hadolint's JSON format: one array of {line, code, message, column, file, level}. */
export const formatJson = (findings: readonly Finding[]): string =>
  `${JSON.stringify(findings.map((f) => ({ line: f.line, code: f.code, message: f.message, column: f.column, file: f.file, level: f.level })))}\n`;

/** SARIF's levels: error and warning as they are, info and style as notes (as hadolint maps them). */
const sarifLevel = (level: Finding['level']): 'error' | 'warning' | 'note' => (level === 'error' || level === 'warning' ? level : 'note');

/** A SARIF 2.1.0 log with one run; the driver lists the rules that fired. */
export function sarifLog(findings: readonly Finding[], version?: string): object {
  const fired = [...new Set(findings.map((f) => f.code))].sort();
  const rules = fired.map((code) => {
    const rule = RULES.find((r) => r.code === code);
    return {
      id: code,
      shortDescription: { text: rule?.message ?? 'Dockerfile parse error' },
      defaultConfiguration: { level: sarifLevel(rule?.severity ?? 'error') },
      helpUri: `https://github.com/hadolint/hadolint/wiki/${code}`,
    };
  });
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'minato lint', ...(version && { version }), informationUri: 'https://github.com/hadolint/hadolint', rules } },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: fired.indexOf(f.code),
          level: sarifLevel(f.level),
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file },
                region: { startLine: f.line, startColumn: f.column, sourceLanguage: 'dockerfile' },
              },
            },
          ],
        })),
        defaultSourceLanguage: 'dockerfile',
      },
    ],
  };
}

export const formatSarif = (findings: readonly Finding[], version?: string): string => `${JSON.stringify(sarifLog(findings, version), null, 2)}\n`;

export function formatFindings(findings: readonly Finding[], format: LintFormat, version?: string): string {
  if (format === 'json') return formatJson(findings);
  if (format === 'sarif') return formatSarif(findings, version);
  return formatTerminal(findings);
}
