import type { Instruction } from './dockerfile.js';
import { splitFlags } from './dockerfile.js';
import { parseScript, type Script } from './shell.js';

/** hadolint's severities; `error` and `warning` fail the lint. */
export type Severity = 'error' | 'warning' | 'info' | 'style';

/**
 * One rule: its hadolint code, default severity and message, and a check over the whole file
 * that returns the lines it fails on (most rules keep state across instructions: stages, aliases,
 * the last USER).
 */
export interface Rule {
  code: string;
  severity: Severity;
  message: string;
  check(instructions: readonly Instruction[]): number[];
}

const scripts = new WeakMap<Instruction, Script>();

/** The shell script a RUN runs: its heredocs, else its exec-form words, else its text. */
export function scriptOf(instruction: Instruction): Script {
  let script = scripts.get(instruction);
  if (!script) {
    const text = instruction.heredocs.length > 0 ? instruction.heredocs.map((h) => h.body).join('\n') : (instruction.json?.join(' ') ?? instruction.args);
    script = parseScript(text);
    scripts.set(instruction, script);
  }
  return script;
}

/** The RUN instructions, and RUNs triggered by ONBUILD (which hadolint also checks), as RUNs. */
export function runs(instructions: readonly Instruction[]): Instruction[] {
  return instructions.flatMap((i) => (i.keyword === 'RUN' ? [i] : i.keyword === 'ONBUILD' && /^RUN\s/i.test(i.args) ? [onbuildTarget(i)] : []));
}

/** `ONBUILD RUN x` as the instruction `RUN x` on the same line. */
export function onbuildTarget(i: Instruction): Instruction {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(i.args)!;
  const text = m[2]!.trim();
  return { line: i.line, keyword: m[1]!.toUpperCase(), text, ...splitFlags(text), heredocs: [] };
}

/** A rule that looks at each RUN's commands on their own. */
export function perRun(code: string, severity: Severity, message: string, fails: (script: Script, run: Instruction) => boolean): Rule {
  return { code, severity, message, check: (instructions) => runs(instructions).filter((r) => fails(scriptOf(r), r)).map((r) => r.line) };
}

/** A rule that looks at each instruction on its own. */
export function perInstruction(code: string, severity: Severity, message: string, fails: (i: Instruction) => boolean): Rule {
  return { code, severity, message, check: (instructions) => instructions.filter(fails).map((i) => i.line) };
}
