import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import { moveProcess } from './cgroups.js';
import { HELPER_ENV } from './command.js';
import type { ContainerPaths } from './handle.js';
import { spawnServer } from './spawn-server.js';

/** How to start one container's monitor. */
export interface ConmonLaunch {
  conmonPath: string;
  runcPath: string;
  /** runc's --root: our own state directory, apart from any other runc user's. */
  runcRoot: string;
  paths: ContainerPaths;
  logPath: string;
  exitDir: string;
  /** When set, conmon is moved into this cgroup before it forks (podman's conmon cgroup). */
  conmonCgroup?: string;
  timeoutMs?: number;
}

/**
 * conmon's command line as podman builds it (libpod's conmon arguments for `create`): API version 1
 * (the sync pipe answers `{"data": pid}`), container id and uuid, the OCI runtime and its global
 * args, bundle and pid file, the exit dir (one file per container, named by id, written when the
 * status is final), the persist dir (`exit` and `oom`), the k8s-file log, and conmon's own pid
 * file. `--full-attach` keeps the attach socket inside the bundle instead of a shared socket dir.
 * Without `--sync`, conmon forks once and its parent exits, so the monitor is nobody's child of ours.
 */
export function conmonArgs(l: ConmonLaunch): string[] {
  const { paths } = l;
  return [
    '--api-version', '1',
    '-c', paths.id,
    '-u', paths.id,
    '-r', l.runcPath,
    '-b', paths.bundle,
    '-p', paths.pidFile,
    '-n', paths.id,
    '--exit-dir', l.exitDir,
    '--persist-dir', paths.persist,
    '--full-attach',
    '-l', `k8s-file:${l.logPath}`,
    '--conmon-pidfile', paths.conmonPidFile,
    '--runtime-arg', '--root',
    '--runtime-arg', l.runcRoot,
  ];
}

/**
 * Starts conmon, which runs `runc create` and then holds the container's stdio and exit status.
 * Resolves with the container's init pid once created (not yet started: `runc start` does that).
 * The protocol is podman's: fd 3 is the sync pipe (`_OCI_SYNCPIPE`), fd 4 the start pipe
 * (`_OCI_STARTPIPE`) on which conmon blocks until we have put it into its cgroup.
 */
export function launchConmon(l: ConmonLaunch): Promise<number> {
  const server = spawnServer();
  if (!server) return launchConmonHere(l);
  const { paths, ...rest } = l;
  return server.launchConmon({ ...rest, root: paths.root, id: paths.id });
}

/** {@link launchConmon} in this very process (what the spawn server runs). */
export function launchConmonHere(l: ConmonLaunch): Promise<number> {
  const child = spawn(l.conmonPath, conmonArgs(l), {
    cwd: l.paths.dir,
    env: { ...HELPER_ENV, _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4' },
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    // Its own session: signals to the agent's process group never reach the monitor.
    detached: true,
  });
  const stderr = child.stdio[2] as Readable;
  const sync = child.stdio[3] as Readable;
  const start = child.stdio[4] as Writable;
  let errText = '';
  stderr.on('data', (b: Buffer) => (errText += b.toString('utf8')));

  return new Promise<number>((resolve, reject) => {
    let buffered = '';
    let settled = false;
    const finish = (err: Error | undefined, pid?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The monitor keeps its end of the sync pipe until the container exits; we need ours no more.
      sync.destroy();
      start.destroy();
      stderr.destroy();
      child.unref();
      if (err) reject(err);
      else resolve(pid!);
    };
    const fail = (message: string) => finish(new DomainError(ErrorKind.Internal, message, 'container-runtime'));
    const timer = setTimeout(() => fail(`conmon did not report container ${l.paths.id} within ${l.timeoutMs ?? 30_000} ms`), l.timeoutMs ?? 30_000);

    sync.on('data', (b: Buffer) => {
      buffered += b.toString('utf8');
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      let msg: { data?: number; message?: string };
      try {
        msg = JSON.parse(buffered.slice(0, nl)) as { data?: number; message?: string };
      } catch {
        return fail(`conmon sent an unreadable sync message: ${buffered.slice(0, nl)}`);
      }
      if (typeof msg.data === 'number' && msg.data > 0) return finish(undefined, msg.data);
      fail(`cannot create container ${l.paths.id}: ${runcMessage(msg.message ?? 'no message')}`);
    });
    sync.on('end', () => fail(`conmon exited before creating ${l.paths.id}: ${errText.trim() || 'no output'}`));
    sync.on('error', () => undefined);
    start.on('error', () => undefined);
    child.on('error', (e) => fail(`cannot run conmon: ${e.message}`));
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) fail(`conmon exited with ${code}: ${errText.trim()}`);
    });

    const release = async () => {
      if (l.conmonCgroup && child.pid) await moveProcess(child.pid, l.conmonCgroup);
      start.end('0');
    };
    release().catch((e: Error) => {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
      fail(`cannot move conmon into its cgroup: ${e.message}`);
    });
  });
}

/** The message of a runc logrus line (`time="…" level=error msg="…"`), or the text as is. */
export function runcMessage(text: string): string {
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(text);
  if (!m) return text.trim();
  return m[1]!.replace(/\\(.)/g, '$1');
}
