/** One instruction of a Dockerfile, its continuation lines joined. */
export interface Instruction {
  /** The 1-based line the instruction starts on. */
  line: number;
  /** The keyword, upper case (`RUN`, `COPY`, …). */
  keyword: string;
  /** Everything after the keyword, continuation lines joined with a space, leading flags included. */
  text: string;
  /** The arguments in exec (JSON array) form, when they are written so. */
  json?: string[];
  /** Leading `--name=value` flags (`COPY --from=build`, `RUN --mount=…`, `FROM --platform=…`). */
  flags: Record<string, string>;
  /** The arguments without the leading flags. */
  args: string;
  /** Heredoc bodies (`RUN <<EOF`), in order. */
  heredocs: { name: string; body: string }[];
}

/** A comment line, kept for `# hadolint ignore=…` pragmas. */
export interface Comment {
  line: number;
  text: string;
}

export interface Dockerfile {
  instructions: Instruction[];
  comments: Comment[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$/;
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/**
 * Parses a Dockerfile as BuildKit reads it: parser directives (`# escape=` changes the line
 * continuation character) only before anything else, comment lines dropped (also inside a
 * continuation), blank lines inside a continuation skipped, heredocs of RUN and COPY read up to
 * their terminator. It does not fail: an instruction it does not know is kept for the linter to
 * report.
 */
export function parseDockerfile(source: string): Dockerfile {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const instructions: Instruction[] = [];
  const comments: Comment[] = [];
  let escape = '\\';
  let directivesOpen = true;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '') {
      directivesOpen = false;
      continue;
    }
    if (trimmed.startsWith('#')) {
      const directive = directivesOpen ? DIRECTIVE.exec(trimmed) : null;
      if (directive && directive[1]!.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) escape = directive[2];
      else if (!directive) directivesOpen = false;
      comments.push({ line: i + 1, text: trimmed.slice(1).trim() });
      continue;
    }
    directivesOpen = false;
    const start = i;
    let text = '';
    let current = trimmed;
    // Continuation: the escape character at the end of a line joins the next non-comment line.
    while (current.endsWith(escape) && i + 1 < lines.length) {
      text += current.slice(0, -1) + ' ';
      i++;
      while (i < lines.length && (lines[i]!.trim() === '' || lines[i]!.trim().startsWith('#'))) i++;
      current = i < lines.length ? lines[i]!.trim() : '';
    }
    text += current.endsWith(escape) ? current.slice(0, -1) : current;
    const keywordMatch = /^(\S+)\s*([\s\S]*)$/.exec(text.trim());
    // A lone continuation character at the end of the file: nothing to read.
    if (!keywordMatch) continue;
    const keyword = keywordMatch[1]!.toUpperCase();
    const rest = keywordMatch[2]!.trim();
    const heredocs: Instruction['heredocs'] = [];
    if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') {
      for (const m of rest.matchAll(HEREDOC)) {
        const body: string[] = [];
        const stripTabs = m[1] === '-';
        while (i + 1 < lines.length) {
          i++;
          const l = stripTabs ? lines[i]!.replace(/^\t+/, '') : lines[i]!;
          if (l.trim() === m[3]) break;
          body.push(l);
        }
        heredocs.push({ name: m[3]!, body: body.join('\n') });
      }
    }
    instructions.push({ line: start + 1, keyword, text: rest, ...splitFlags(rest), heredocs });
  }
  return { instructions, comments };
}

/** Splits leading `--name=value` flags from an instruction's arguments, and reads the exec form. */
export function splitFlags(rest: string): Pick<Instruction, 'flags' | 'args' | 'json'> {
  const flags: Record<string, string> = {};
  let args = rest;
  for (let m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?\s*/.exec(args); m; m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?\s*/.exec(args)) {
    // Repeated flags (several `--mount`) are kept joined: the rules only look for a word in them.
    flags[m[1]!] = flags[m[1]!] === undefined ? (m[2] ?? '') : `${flags[m[1]!]} ${m[2] ?? ''}`;
    args = args.slice(m[0].length);
  }
  const json = parseJsonArray(args);
  return { flags, args, ...(json && { json }) };
}

/** The exec form: a JSON array of strings, else undefined (the shell form). */
export function parseJsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The parts of `FROM [--platform=…] image[:tag][@digest] [AS name]`. */
export interface BaseImage {
  image: string;
  tag?: string;
  digest?: string;
  alias?: string;
  platform?: string;
}

export function parseFrom(instruction: Instruction): BaseImage {
  const words = instruction.args.split(/\s+/).filter(Boolean);
  const ref = words[0] ?? '';
  const alias = words.length >= 3 && words[1]!.toLowerCase() === 'as' ? words[2] : undefined;
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const colon = name.lastIndexOf(':');
  const tagged = colon > name.lastIndexOf('/');
  return {
    image: tagged ? name.slice(0, colon) : name,
    ...(tagged && { tag: name.slice(colon + 1) }),
    ...(digest && { digest }),
    ...(alias && { alias }),
    ...(instruction.flags.platform !== undefined && { platform: instruction.flags.platform }),
  };
}

/** Removes one pair of surrounding quotes. */
export const dropQuotes = (s: string): string => s.replace(/^["']+|["']+$/g, '');

/** The source and destination words of COPY or ADD, in either form. */
export function copyArgs(instruction: Instruction): { sources: string[]; dest: string } {
  const words = instruction.json ?? instruction.args.split(/\s+/).filter(Boolean);
  return { sources: words.slice(0, -1), dest: words.at(-1) ?? '' };
}
