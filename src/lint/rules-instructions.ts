import { copyArgs, dropQuotes, parseFrom, type Instruction } from './dockerfile.js';
import { onbuildTarget, perInstruction, type Rule, type Severity } from './rule.js';

// The rules over instructions other than RUN scripts, with hadolint's codes, severities and
// messages.

const ARCHIVE = ['.tar', '.Z', '.bz2', '.gz', '.lz', '.lzma', '.tZ', '.tb2', '.tbz', '.tbz2', '.tgz', '.tlz', '.tpz', '.txz', '.xz'];
const isAbsolute = (path: string): boolean => /^([/$]|[A-Za-z]:)/.test(dropQuotes(path));

/** Walks the file stage by stage: `visit` sees each instruction with the index of its stage. */
function stageRule(code: string, severity: Severity, message: string, make: () => (i: Instruction, stage: { index: number; from?: ReturnType<typeof parseFrom> }) => boolean): Rule {
  return {
    code,
    severity,
    message,
    check(instructions) {
      const fails = make();
      let index = -1;
      let from: ReturnType<typeof parseFrom> | undefined;
      const failures: number[] = [];
      for (const i of instructions) {
        if (i.keyword === 'FROM') {
          index++;
          from = parseFrom(i);
        }
        if (fails(i, { index, ...(from && { from }) })) failures.push(i.line);
      }
      return failures;
    },
  };
}

/** The second and later `keyword` of a stage. */
const repeatedInStage = (code: string, severity: Severity, message: string, keyword: string): Rule =>
  stageRule(code, severity, message, () => {
    const seen = new Set<number>();
    return (i, stage) => {
      if (i.keyword !== keyword) return false;
      if (seen.has(stage.index)) return true;
      seen.add(stage.index);
      return false;
    };
  });

/** DL3002: a stage whose last USER is root, reported at that USER. */
const dl3002: Rule = {
  code: 'DL3002',
  severity: 'warning',
  message: 'Last USER should not be root',
  check(instructions) {
    const lastRoot = new Map<number, number>();
    let stage = -1;
    for (const i of instructions) {
      if (i.keyword === 'FROM') stage++;
      else if (i.keyword === 'USER') {
        const user = i.args.trim();
        if (user === 'root' || user === '0' || user.startsWith('root:') || user.startsWith('0:')) lastRoot.set(stage, i.line);
        else lastRoot.delete(stage);
      }
    }
    return [...lastRoot.values()];
  },
};

/** DL3022: `COPY --from` naming neither an earlier stage, a stage index, nor an image. */
const dl3022: Rule = stageRule('DL3022', 'warning', '`COPY --from` should reference a previously defined `FROM` alias', () => {
  const aliases = new Set<string>();
  return (i, stage) => {
    if (i.keyword === 'FROM' && stage.from?.alias) aliases.add(stage.from.alias);
    if (i.keyword !== 'COPY' || i.flags.from === undefined) return false;
    const source = dropQuotes(i.flags.from);
    if (source.includes(':') || aliases.has(source)) return false;
    return !(/^\d+$/.test(source) && Number(source) < stage.index + 1);
  };
});

/** DL3045: COPY to a relative path in a stage (or its base stages) without WORKDIR. */
const dl3045: Rule = {
  code: 'DL3045',
  severity: 'warning',
  message: '`COPY` to a relative destination without `WORKDIR` set.',
  check(instructions) {
    const workdirSet = new Map<string, boolean>();
    let stage = '';
    const failures: number[] = [];
    for (const i of instructions) {
      if (i.keyword === 'FROM') {
        const from = parseFrom(i);
        stage = from.alias ?? from.image;
        workdirSet.set(stage, workdirSet.get(from.image) ?? false);
      } else if (i.keyword === 'WORKDIR') workdirSet.set(stage, true);
      else if (i.keyword === 'COPY' && !workdirSet.get(stage)) {
        const dest = copyArgs(i).dest;
        if (!isAbsolute(dest)) failures.push(i.line);
      }
    }
    return failures;
  },
};

const ports = (i: Instruction): number[] =>
  i.args
    .split(/\s+/)
    .filter((p) => /^\d/.test(p))
    .flatMap((p) => p.split('/')[0]!.split('-').map(Number));

export const INSTRUCTION_RULES: readonly Rule[] = [
  perInstruction('DL3000', 'error', 'Use absolute WORKDIR', (i) => i.keyword === 'WORKDIR' && !isAbsolute(i.args)),
  dl3002,
  stageRule('DL3006', 'warning', 'Always tag the version of an image explicitly', () => {
    const aliases = new Set<string>();
    return (i, stage) => {
      if (i.keyword !== 'FROM' || !stage.from) return false;
      const { image, tag, digest, alias } = stage.from;
      const fails = image !== 'scratch' && !digest && tag === undefined && !image.startsWith('$') && !aliases.has(image);
      if (alias) aliases.add(alias);
      return fails;
    };
  }),
  perInstruction('DL3007', 'warning', 'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag', (i) => i.keyword === 'FROM' && parseFrom(i).tag === 'latest'),
  perInstruction('DL3011', 'error', 'Valid UNIX ports range from 0 to 65535', (i) => i.keyword === 'EXPOSE' && ports(i).some((p) => p > 65535)),
  repeatedInStage('DL3012', 'error', 'Multiple `HEALTHCHECK` instructions', 'HEALTHCHECK'),
  perInstruction('DL3020', 'error', 'Use COPY instead of ADD for files and folders', (i) => {
    if (i.keyword !== 'ADD' || i.heredocs.length > 0) return false;
    return !copyArgs(i).sources.every((s) => ARCHIVE.some((ext) => dropQuotes(s).endsWith(ext)) || /^https?:\/\//.test(dropQuotes(s)));
  }),
  perInstruction('DL3021', 'error', 'COPY with more than 2 arguments requires the last argument to end with /', (i) => {
    if (i.keyword !== 'COPY' || i.heredocs.length > 0) return false;
    const { sources, dest } = copyArgs(i);
    return sources.length > 1 && !dropQuotes(dest).endsWith('/');
  }),
  dl3022,
  stageRule('DL3023', 'error', '`COPY --from` cannot reference its own `FROM` alias', () => (i, stage) =>
    i.keyword === 'COPY' && i.flags.from !== undefined && stage.from?.alias !== undefined && dropQuotes(i.flags.from) === stage.from.alias,
  ),
  stageRule('DL3024', 'error', 'FROM aliases (stage names) must be unique', () => {
    const aliases = new Set<string>();
    return (i, stage) => {
      if (i.keyword !== 'FROM' || !stage.from?.alias) return false;
      const seen = aliases.has(stage.from.alias);
      aliases.add(stage.from.alias);
      return seen;
    };
  }),
  perInstruction('DL3025', 'warning', 'Use arguments JSON notation for CMD and ENTRYPOINT arguments', (i) => {
    if (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') return !i.json;
    // HEALTHCHECK CMD in shell form too, as hadolint; `HEALTHCHECK NONE` has no command.
    if (i.keyword === 'HEALTHCHECK') return /^CMD\s/i.test(i.args) && !onbuildTarget(i).json;
    return false;
  }),
  perInstruction('DL3029', 'warning', 'Do not use --platform flag with FROM', (i) => i.keyword === 'FROM' && i.flags.platform !== undefined && !/BUILDPLATFORM|TARGETPLATFORM/.test(i.flags.platform)),
  perInstruction('DL3043', 'error', '`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.', (i) => i.keyword === 'ONBUILD' && /^(ONBUILD|FROM|MAINTAINER)\b/i.test(i.args)),
  dl3045,
  {
    code: 'DL3061',
    severity: 'error',
    message: 'Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.',
    check(instructions) {
      const first = instructions.findIndex((i) => i.keyword === 'FROM');
      return instructions.slice(0, first < 0 ? undefined : first).filter((i) => i.keyword !== 'ARG').map((i) => i.line);
    },
  },
  perInstruction('DL4000', 'error', 'MAINTAINER is deprecated', (i) => i.keyword === 'MAINTAINER'),
  repeatedInStage('DL4003', 'warning', 'Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect', 'CMD'),
  repeatedInStage('DL4004', 'error', 'Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect', 'ENTRYPOINT'),
];
