/** One simple command of a shell script: its name and its words, quotes removed. */
export interface Command {
  name: string;
  args: string[];
}

/** What the rules need of a RUN script: its commands and whether it pipes. */
export interface Script {
  original: string;
  commands: Command[];
  hasPipe: boolean;
}

/** Words that open or close a compound command; the command is the word after them. */
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time', 'exec']);

/**
 * Splits a POSIX shell script into its simple commands. Not a shell parser: it knows quotes,
 * backslash escapes, comments, the list and pipe operators, subshell parentheses and
 * redirections (dropped with their target), which is what the Dockerfile rules look at. Command
 * substitutions stay inside their word; `for` and `case` headers are skipped.
 */
export function parseScript(script: string): Script {
  const commands: Command[] = [];
  let hasPipe = false;
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let dropNext = false;
  const endWord = (): void => {
    if (!inWord) return;
    if (dropNext) dropNext = false;
    else words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    let w = words;
    while (w.length > 0 && (RESERVED.has(w[0]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0]!))) w = w.slice(1);
    if (w.length > 0 && w[0] !== 'for' && w[0] !== 'case' && w[0] !== 'in' && w[0] !== 'esac' && !w[0]!.endsWith(')')) commands.push({ name: w[0]!, args: w.slice(1) });
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === '\\') {
      if (script[i + 1] === '\n') i++;
      else {
        word += script[i + 1] ?? '';
        inWord = true;
        i++;
      }
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      word += script.slice(i + 1, end < 0 ? undefined : end);
      inWord = true;
      i = end < 0 ? script.length : end;
    } else if (c === '"') {
      inWord = true;
      for (i++; i < script.length && script[i] !== '"'; i++) {
        if (script[i] === '\\' && i + 1 < script.length && '"\\$`'.includes(script[i + 1]!)) i++;
        word += script[i];
      }
    } else if (c === '$' && script[i + 1] === '(') {
      // A command substitution stays one word: count parentheses to its end.
      let depth = 0;
      const from = i;
      for (; i < script.length; i++) {
        if (script[i] === '(') depth++;
        else if (script[i] === ')' && --depth === 0) break;
      }
      word += script.slice(from, i + 1);
      inWord = true;
    } else if (c === '#' && !inWord) {
      while (i + 1 < script.length && script[i + 1] !== '\n') i++;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '>' || c === '<') {
      if (/^\d*$/.test(word) && inWord) {
        word = '';
        inWord = false;
      } else endWord();
      while (i + 1 < script.length && '<>&|-'.includes(script[i + 1]!)) i++;
      // `2>&1` and `>&-` have no target word; anything else does.
      if (script[i] === '&' && /\d/.test(script[i + 1] ?? '')) {
        while (/\d/.test(script[i + 1] ?? '')) i++;
      } else if (script[i] !== '-') dropNext = true;
    } else if (c === '|' || c === '&' || c === ';' || c === '\n' || c === '(' || c === ')') {
      if (c === '|' && script[i + 1] !== '|' && script[i - 1] !== '|') hasPipe = true;
      if (c === '&' && script[i + 1] === '>') {
        endWord();
        dropNext = true;
        i++;
        continue;
      }
      endCommand();
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return { original: script, commands, hasPipe };
}

/** The flags of a command's words, as hadolint counts them: `--name=v` is `name`, `-abc` is a, b and c. */
export function flagsOf(cmd: Command): string[] {
  return cmd.args.flatMap((a) => (a === '-' || a === '--' || !a.startsWith('-') ? [] : a.startsWith('--') ? [a.slice(2).split('=')[0]!] : [...a.slice(1)]));
}

export const hasFlag = (cmd: Command, ...names: string[]): boolean => flagsOf(cmd).some((f) => names.includes(f));

const isFlag = (a: string): boolean => a.startsWith('-') && a !== '-' && a !== '--';

/** The words that are not flags, after dropping the values of the given flags (`-t bookworm`). */
export function argsNoFlags(cmd: Command, valueFlags: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i < cmd.args.length; i++) {
    const a = cmd.args[i]!;
    if (!isFlag(a)) {
      out.push(a);
      continue;
    }
    const names = a.startsWith('--') ? [a.slice(2).split('=')[0]!] : [...a.slice(1)];
    if (!a.includes('=') && names.some((n) => valueFlags.includes(n))) i++;
  }
  return out;
}

/** The command is `name` with any of `words` among its arguments (`apt-get install`). */
export const isCall = (cmd: Command, names: string | readonly string[], words: readonly string[]): boolean =>
  (typeof names === 'string' ? cmd.name === names : names.includes(cmd.name)) && cmd.args.some((a) => words.includes(a));

/** The basename of a command (`/usr/bin/bash` → `bash`). */
export const basename = (name: string): string => name.slice(name.lastIndexOf('/') + 1);
