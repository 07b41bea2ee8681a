import { parseFrom, type Instruction } from './dockerfile.js';
import { perRun, runs, scriptOf, type Rule } from './rule.js';
import { argsNoFlags, basename, flagsOf, hasFlag, isCall, parseScript, type Command, type Script } from './shell.js';

// The rules over RUN scripts, with hadolint's codes, severities and messages. The version
// pinning rules (DL3008, DL3013, DL3016, DL3018, DL3028) are warnings in hadolint and
// informational here: unpinned packages are a reproducibility choice, not a defect.

const uses = (script: Script, name: string): boolean => script.commands.some((c) => c.name === name);

/** Packages named on an install command line: its plain words after the subcommand. */
function packagesAfter(cmd: Command, subcommands: readonly string[], valueFlags: readonly string[]): string[] {
  const words = argsNoFlags(cmd, valueFlags);
  const at = words.findIndex((w) => subcommands.includes(w));
  return at < 0 ? [] : words.slice(at + 1).filter((w) => !subcommands.includes(w));
}

const cacheMount = (run: Instruction, target: string): boolean => {
  const mounts = run.flags.mount ?? '';
  return /type=(cache|tmpfs)/.test(mounts) && mounts.includes(target);
};

const isAptGetInstall = (c: Command): boolean => isCall(c, 'apt-get', ['install']);

const isPipInstall = (c: Command): boolean =>
  (c.name.startsWith('pip') && !c.name.startsWith('pipenv') && c.args.includes('install')) ||
  (c.name.startsWith('python') && c.args.join(' ').includes('-m pip install'));

const PIP_VALUE_FLAGS = ['abi', 'b', 'build', 'e', 'editable', 'extra-index-url', 'f', 'find-links', 'i', 'index-url', 'implementation', 'no-binary', 'only-binary', 'platform', 'prefix', 'progress-bar', 'proxy', 'python', 'python-version', 'root', 'root-user-action', 'src', 't', 'target', 'trusted-host', 'upgrade-strategy'];
const PIP_VERSION = ['==', '>=', '<=', '>', '<', '!=', '~=', '==='];
const VCS = ['git+', 'hg+', 'svn+', 'bzr+'];

function pipUnpinned(c: Command): boolean {
  if (!isPipInstall(c)) return false;
  if (c.args.some((a) => a === '-r' || a === '--requirement' || a === '.' || a.startsWith('--requirement='))) return false;
  if (hasFlag(c, 'constraint', 'c')) return false;
  const pinned = (p: string): boolean =>
    PIP_VERSION.some((s) => p.includes(s)) ||
    (VCS.some((v) => p.startsWith(v)) && p.includes('@')) ||
    p.endsWith('.whl') ||
    p.endsWith('.tar.gz') ||
    (!VCS.some((v) => p.startsWith(v)) && p.includes('/'));
  return !packagesAfter(c, ['install'], PIP_VALUE_FLAGS).every(pinned);
}

function npmUnpinned(c: Command): boolean {
  if (!isCall(c, 'npm', ['install'])) return false;
  const words = argsNoFlags(c, ['loglevel', 'prefix', 'cache', 'registry']);
  if (words[0] !== 'install') return false;
  const pinned = (p: string): boolean => {
    if (/^git(\+(ssh|https?))?:\/\//.test(p)) return p.includes('#');
    if (/\.(tar|tar\.gz|tgz)$/.test(p) || /^(\.\/|\.\.\/|~\/|\/)/.test(p)) return true;
    return (p.startsWith('@') ? p.slice(p.indexOf('/') + 1) : p).includes('@');
  };
  return !words.slice(1).every(pinned);
}

function gemUnpinned(c: Command): boolean {
  if (!isCall(c, 'gem', ['install', 'i'])) return false;
  if (c.args.some((a) => a === '-v' || a === '--version' || a.startsWith('--version='))) return false;
  // As hadolint reads gem's line: every option takes the next word as its value.
  const gems: string[] = [];
  const words = c.args.slice(0, c.args.includes('--') ? c.args.indexOf('--') : undefined);
  for (let i = 0; i < words.length; i++) {
    if (words[i]!.startsWith('-')) i++;
    else if (words[i] !== 'install' && words[i] !== 'i') gems.push(words[i]!);
  }
  return !gems.every((g) => g.includes(':'));
}

/**
 * DL3009: per stage; only the last stage, or a stage a later FROM builds on, is reported. A RUN
 * triggered by ONBUILD runs in the image built on this one, so it is always reported.
 */
const dl3009: Rule = {
  code: 'DL3009',
  severity: 'info',
  message: 'Delete the apt lists (/var/lib/apt/lists) after installing something',
  check(instructions) {
    const failures: { line: number; stage: number }[] = [];
    const stages: { alias?: string }[] = [];
    const usedAsBase = new Set<string>();
    for (const i of instructions) {
      if (i.keyword === 'FROM') {
        const from = parseFrom(i);
        usedAsBase.add(from.image);
        stages.push(from.alias ? { alias: from.alias } : {});
      }
      const run = runs([i])[0];
      if (!run) continue;
      const script = scriptOf(run);
      const updates = script.commands.some((c) => isCall(c, ['apt', 'apt-get', 'aptitude'], ['update']));
      const cleans = script.commands.some((c) => c.name === 'rm' && c.args.some((a) => a.startsWith('/var/lib/apt/lists')));
      const mounted = cacheMount(run, '/var/lib/apt/lists') || (cacheMount(run, '/var/lib/apt') && cacheMount(run, '/var/cache/apt'));
      if (updates && !cleans && !mounted) failures.push({ line: run.line, stage: i.keyword === 'ONBUILD' ? -1 : Math.max(stages.length - 1, 0) });
    }
    const last = Math.max(stages.length - 1, 0);
    return failures.filter((f) => f.stage === -1 || f.stage === last || (stages[f.stage]?.alias !== undefined && usedAsBase.has(stages[f.stage]!.alias!))).map((f) => f.line);
  },
};

/** DL3042: pip without --no-cache-dir, unless PIP_NO_CACHE_DIR is set in the stage or its base. */
const dl3042: Rule = {
  code: 'DL3042',
  severity: 'warning',
  message: 'Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`',
  check(instructions) {
    const noCache = new Map<string, boolean>();
    let stage = '';
    const failures: number[] = [];
    const truthy = /^(1|true|yes|on)\b/i;
    for (const i of instructions) {
      if (i.keyword === 'FROM') {
        const from = parseFrom(i);
        const name = from.alias ?? from.image;
        noCache.set(name, noCache.get(from.image) ?? false);
        stage = name;
      } else if (i.keyword === 'ENV') {
        const m = /(?:^|\s)PIP_NO_CACHE_DIR[=\s]+["']?([^"'\s]*)/.exec(i.args);
        if (m && truthy.test(m[1]!)) noCache.set(stage, true);
      } else if (i.keyword === 'RUN' || i.keyword === 'ONBUILD') {
        const run = runs([i])[0];
        if (!run || noCache.get(stage)) continue;
        const script = scriptOf(run);
        const inline = /PIP_NO_CACHE_DIR=["']?([^"'\s]*)/.exec(script.original);
        if (inline && truthy.test(inline[1]!)) continue;
        if (cacheMount(run, '.cache/pip')) continue;
        const forgot = (c: Command): boolean => isPipInstall(c) && !c.args.includes('--no-cache-dir') && !/pipx|pipenv/.test(c.name) && !/-m (pipx|pipenv)/.test(c.args.join(' '));
        if (script.commands.some(forgot)) failures.push(i.line);
      }
    }
    return failures;
  },
};

/**
 * DL3059: consecutive RUNs with the same flags, each of a single command. (hadolint's threshold
 * reads "more than two", over a count that finds each simple command twice.)
 */
const dl3059: Rule = {
  code: 'DL3059',
  severity: 'info',
  message: 'Multiple consecutive `RUN` instructions. Consider consolidation.',
  check(instructions) {
    const failures: number[] = [];
    let previous: { flags: string; count: number } | undefined;
    for (const i of instructions) {
      if (i.keyword !== 'RUN') {
        previous = undefined;
        continue;
      }
      const flags = JSON.stringify(i.flags);
      const count = scriptOf(i).commands.length;
      if (previous && previous.flags === flags && count <= 1 && previous.count <= 1) failures.push(i.line);
      previous = { flags, count };
    }
    return failures;
  },
};

/** DL4001: a stage that uses both wget and curl, reported from the RUN that brings the second. */
const dl4001: Rule = {
  code: 'DL4001',
  severity: 'warning',
  message: 'Either use Wget or Curl but not both',
  check(instructions) {
    const failures: number[] = [];
    let seen = new Set<string>();
    for (const i of instructions) {
      if (i.keyword === 'FROM') seen = new Set();
      const run = runs([i])[0];
      if (!run) continue;
      const here = scriptOf(run).commands.map((c) => c.name).filter((n) => n === 'curl' || n === 'wget');
      for (const n of here) seen.add(n);
      if (here.length > 0 && seen.size >= 2) failures.push(i.line);
    }
    return failures;
  },
};

/** DL4006: a RUN with a pipe while the stage's SHELL has no `-o pipefail`. */
const dl4006: Rule = {
  code: 'DL4006',
  severity: 'warning',
  message:
    'Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check',
  check(instructions) {
    const failures: number[] = [];
    let pipefail = false;
    for (const i of instructions) {
      if (i.keyword === 'FROM') pipefail = false;
      else if (i.keyword === 'SHELL') {
        const text = i.json?.join(' ') ?? i.args;
        const script = parseScript(text);
        pipefail =
          /^(pwsh|powershell|cmd)/.test(basename(i.json?.[0] ?? '')) ||
          script.commands.some((c) => ['bash', 'zsh', 'ash'].includes(basename(c.name)) && flagsOf(c).includes('o') && c.args.includes('pipefail'));
      } else if (i.keyword === 'RUN' && !pipefail && scriptOf(i).hasPipe) failures.push(i.line);
    }
    return failures;
  },
};

export const RUN_RULES: readonly Rule[] = [
  perRun(
    'DL3001',
    'info',
    'For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`',
    (s) => s.commands.some((c) => ['free', 'kill', 'mount', 'ps', 'service', 'shutdown', 'ssh', 'top', 'vim', 'ifconfig'].includes(c.name)),
  ),
  perRun('DL3003', 'warning', 'Use WORKDIR to switch to a directory', (s) => uses(s, 'cd')),
  perRun('DL3004', 'error', 'Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root', (s) => uses(s, 'sudo')),
  perRun('DL3008', 'info', 'Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`', (s) =>
    s.commands.some((c) => isAptGetInstall(c) && !packagesAfter(c, ['install'], ['t', 'target-release']).every((p) => p.includes('=') || p.includes('/') || p.endsWith('.deb'))),
  ),
  dl3009,
  perRun('DL3013', 'info', 'Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`', (s) =>
    s.commands.some(pipUnpinned),
  ),
  perRun('DL3014', 'warning', 'Use the `-y` switch to avoid manual input `apt-get -y install <package>`', (s) =>
    s.commands.some((c) => {
      if (!isAptGetInstall(c)) return false;
      const flags = flagsOf(c);
      const yes = flags.some((f) => ['y', 'yes', 'qq', 'assume-yes'].includes(f)) || flags.filter((f) => f === 'q').length === 2 || flags.filter((f) => f === 'quiet').length === 2 || c.args.includes('-q=2');
      return !yes;
    }),
  ),
  perRun('DL3015', 'info', 'Avoid additional packages by specifying `--no-install-recommends`', (s) =>
    s.commands.some((c) => isAptGetInstall(c) && !hasFlag(c, 'no-install-recommends') && !c.args.includes('APT::Install-Recommends=false')),
  ),
  perRun('DL3016', 'info', 'Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`', (s) => s.commands.some(npmUnpinned)),
  perRun('DL3018', 'info', 'Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`', (s) =>
    s.commands.some((c) => isCall(c, 'apk', ['add']) && !packagesAfter(c, ['add'], ['t', 'virtual', 'repository', 'X']).every((p) => /[=~><]/.test(p) || p.endsWith('.apk'))),
  ),
  perRun('DL3019', 'info', 'Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages', (s, run) =>
    !cacheMount(run, '/var/cache/apk') && s.commands.some((c) => isCall(c, 'apk', ['add']) && !hasFlag(c, 'no-cache')),
  ),
  perRun('DL3027', 'warning', 'Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead', (s) => uses(s, 'apt')),
  perRun('DL3028', 'info', 'Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`', (s) => s.commands.some(gemUnpinned)),
  perRun('DL3030', 'warning', 'Use the -y switch to avoid manual input `yum install -y <package>`', (s) =>
    s.commands.some((c) => isCall(c, 'yum', ['install', 'groupinstall', 'localinstall']) && !hasFlag(c, 'y', 'assumeyes')),
  ),
  perRun('DL3038', 'warning', 'Use the -y switch to avoid manual input `dnf install -y <package>`', (s) =>
    s.commands.some((c) => isCall(c, ['dnf', 'microdnf'], ['install', 'groupinstall', 'localinstall']) && !hasFlag(c, 'y', 'assumeyes')),
  ),
  dl3042,
  perRun('DL3046', 'warning', '`useradd` without flag `-l` and high UID will result in excessively large Image.', (s) =>
    s.commands.some((c) => {
      if (c.name !== 'useradd' || hasFlag(c, 'l', 'no-log-init')) return false;
      const uid = c.args.findIndex((a) => a === '-u' || a === '--uid');
      const value = uid >= 0 ? c.args[uid + 1] : c.args.find((a) => a.startsWith('--uid='))?.slice(6);
      return value !== undefined && value.length > 5;
    }),
  ),
  perRun(
    'DL3047',
    'info',
    'Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).',
    (s) =>
      s.commands.some((c) => c.name === 'wget' && !hasFlag(c, 'progress', 'q', 'quiet', 'o', 'output-file', 'a', 'append-output', 'no-verbose') && !c.args.includes('-nv')),
  ),
  dl3059,
  dl4001,
  perRun('DL4005', 'warning', 'Use SHELL to change the default shell', (s) => s.commands.some((c) => c.name === 'ln' && c.args.includes('/bin/sh'))),
  dl4006,
];
