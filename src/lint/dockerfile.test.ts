import { describe, expect, it } from 'vitest';
import { copyArgs, parseDockerfile, parseFrom } from './dockerfile.js';
import { argsNoFlags, flagsOf, parseScript } from './shell.js';

describe('parseDockerfile', () => {
  it('joins continuation lines, skipping comments and blank lines inside them, and keeps the start line', () => {
    const { instructions, comments } = parseDockerfile('FROM debian:12\n# a comment\nRUN apt-get update \\\n  # inside\n\n  && apt-get install -y curl\nCMD ["x"]\n');
    expect(instructions.map((i) => [i.line, i.keyword])).toEqual([
      [1, 'FROM'],
      [3, 'RUN'],
      [7, 'CMD'],
    ]);
    expect(instructions[1]!.args).toBe('apt-get update  && apt-get install -y curl');
    // A comment inside a continuation is dropped, as BuildKit drops it: no pragma can hide there.
    expect(comments.map((c) => c.line)).toEqual([2]);
  });

  it('honours the escape directive, only before anything else', () => {
    const backtick = parseDockerfile('# escape=`\nFROM windows:ltsc2022\nRUN dir `\n  c:\\\n');
    expect(backtick.instructions[1]!.args).toBe('dir  c:\\');
    const late = parseDockerfile('FROM a:1\n# escape=`\nRUN a `\nRUN b\n');
    expect(late.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'RUN']);
  });

  it('reads heredocs to their terminator', () => {
    const { instructions } = parseDockerfile('FROM a:1\nRUN <<EOF\nset -e\necho hi\nEOF\nCOPY <<-"END" /x\n\tcontent\n\tEND\nUSER app\n');
    expect(instructions.map((i) => [i.line, i.keyword])).toEqual([
      [1, 'FROM'],
      [2, 'RUN'],
      [6, 'COPY'],
      [9, 'USER'],
    ]);
    expect(instructions[1]!.heredocs).toEqual([{ name: 'EOF', body: 'set -e\necho hi' }]);
    expect(instructions[2]!.heredocs).toEqual([{ name: 'END', body: 'content' }]);
  });

  it('tells the exec form from the shell form and splits leading flags', () => {
    const { instructions } = parseDockerfile('FROM a:1\nCMD ["node", "s.js"]\nCMD [not json\nCOPY --from=build --chown=1:1 a b /c/\n');
    expect(instructions[1]!.json).toEqual(['node', 's.js']);
    expect(instructions[2]!.json).toBeUndefined();
    expect(instructions[3]!.flags).toEqual({ from: 'build', chown: '1:1' });
    expect(copyArgs(instructions[3]!)).toEqual({ sources: ['a', 'b'], dest: '/c/' });
  });

  it('reads FROM references', () => {
    const from = (s: string) => parseFrom(parseDockerfile(s).instructions[0]!);
    expect(from('FROM --platform=linux/arm64 registry:5000/team/app:1.2@sha256:ab AS build')).toEqual({
      image: 'registry:5000/team/app',
      tag: '1.2',
      digest: 'sha256:ab',
      alias: 'build',
      platform: 'linux/arm64',
    });
    expect(from('FROM registry:5000/app')).toEqual({ image: 'registry:5000/app' });
  });
});

describe('parseScript', () => {
  it('finds the commands of lists, pipes and subshells, without assignments and redirections', () => {
    const s = parseScript('DEBIAN_FRONTEND=noninteractive apt-get update > /dev/null 2>&1 && (cd /x; make) | tee log || true');
    expect(s.commands.map((c) => [c.name, ...c.args])).toEqual([['apt-get', 'update'], ['cd', '/x'], ['make'], ['tee', 'log'], ['true']]);
    expect(s.hasPipe).toBe(true);
    expect(parseScript('a || b').hasPipe).toBe(false);
  });

  it('keeps quoted words whole and command substitutions in their word', () => {
    const s = parseScript(`echo "a | b" 'c && d' $(curl -s x | sh) # wget here\nif [ -f x ]; then rm -rf "/var/lib/apt/lists/"*; fi`);
    expect(s.commands.map((c) => c.name)).toEqual(['echo', '[', 'rm']);
    expect(s.commands[0]!.args).toEqual(['a | b', 'c && d', '$(curl -s x | sh)']);
    expect(s.commands[2]!.args).toEqual(['-rf', '/var/lib/apt/lists/*']);
    expect(s.hasPipe).toBe(false);
  });

  it('counts flags as hadolint does and drops the values of value flags', () => {
    const [cmd] = parseScript('apt-get -qq --target-release=x -t bookworm install curl').commands;
    expect(flagsOf(cmd!)).toEqual(['q', 'q', 'target-release', 't']);
    expect(argsNoFlags(cmd!, ['t'])).toEqual(['install', 'curl']);
  });
});
