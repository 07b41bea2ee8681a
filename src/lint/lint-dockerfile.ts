import { parseDockerfile, type Dockerfile } from './dockerfile.js';
import type { Rule, Severity } from './rule.js';
import { INSTRUCTION_RULES } from './rules-instructions.js';
import { RUN_RULES } from './rules-run.js';

/** One finding, in hadolint's JSON shape (the column is always 1, as hadolint's). */
export interface Finding {
  file: string;
  line: number;
  column: number;
  code: string;
  level: Severity;
  message: string;
}

export const RULES: readonly Rule[] = [...INSTRUCTION_RULES, ...RUN_RULES].sort((a, b) => a.code.localeCompare(b.code));

const INSTRUCTIONS = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

const PRAGMA = /^hadolint\s+(global\s+)?ignore\s*=\s*([A-Z0-9]+(?:\s*,\s*[A-Z0-9]+)*)/;

/**
 * The codes ignored by `# hadolint ignore=DL3008,DL3009` comments, by the line of the
 * instruction they apply to (the next instruction; other comments may stand between), and the
 * codes of `# hadolint global ignore=…` comments, which apply to the whole file.
 */
export function ignorePragmas(dockerfile: Dockerfile): { byLine: Map<number, Set<string>>; global: Set<string> } {
  const byLine = new Map<number, Set<string>>();
  const global = new Set<string>();
  const starts = dockerfile.instructions.map((i) => i.line);
  const commentLines = new Set(dockerfile.comments.map((c) => c.line));
  for (const comment of dockerfile.comments) {
    const m = PRAGMA.exec(comment.text);
    if (!m) continue;
    const codes = m[2]!.split(',').map((c) => c.trim());
    if (m[1]) {
      for (const c of codes) global.add(c);
      continue;
    }
    let target = comment.line + 1;
    while (commentLines.has(target)) target++;
    if (!starts.includes(target)) continue;
    const set = byLine.get(target) ?? new Set<string>();
    for (const c of codes) set.add(c);
    byLine.set(target, set);
  }
  return { byLine, global };
}

/** Lints one Dockerfile's text: every rule, less the ignored codes, in line order. */
export function lintDockerfile(source: string, options: { file?: string; ignore?: readonly string[] } = {}): Finding[] {
  const file = options.file ?? 'Dockerfile';
  const dockerfile = parseDockerfile(source);
  const { byLine, global } = ignorePragmas(dockerfile);
  const ignored = new Set([...(options.ignore ?? []), ...global]);
  const findings: Finding[] = dockerfile.instructions
    .filter((i) => !INSTRUCTIONS.has(i.keyword))
    .map((i) => ({ file, line: i.line, column: 1, code: 'DL1000', level: 'error', message: `unexpected '${i.keyword}' expecting a Dockerfile instruction` }));
  for (const rule of RULES) {
    if (ignored.has(rule.code)) continue;
    for (const line of new Set(rule.check(dockerfile.instructions))) {
      if (byLine.get(line)?.has(rule.code)) continue;
      findings.push({ file, line, column: 1, code: rule.code, level: rule.severity, message: rule.message });
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
}

/** Whether the findings fail the lint: an error or a warning remains. */
export const failsLint = (findings: readonly Finding[]): boolean => findings.some((f) => f.level === 'error' || f.level === 'warning');
