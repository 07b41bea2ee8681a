import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, ErrorKind, failedPrecondition, invalidParameter, notFound } from '../../lib/errors.js';
import { prepareBundle } from './bundle.js';
import { checkCgroupParent, oomKillCount, removeCgroup, setTaskLimits } from './cgroups.js';
import { launchConmon } from './conmon.js';
import { runExec } from './exec.js';
import { EXEC_FIFO, RUNC_INIT_COMM, startByExecFifo } from './exec-fifo.js';
import { ExitWatcher } from './exit-watcher.js';
import { ContainerPaths, HANDLE_VERSION, exitOf, listHandles, readHandle, writeHandle, type ContainerHandle } from './handle.js';
import { findInit, type InitProcess } from './init-process.js';
import { isRunning, procStat } from './proc.js';
import { unmount } from './rootfs.js';
import { Runc } from './runc.js';
import {
  CONTAINER_ID,
  DEFAULT_CGROUP_PARENT,
  type ContainerExit,
  type ContainerRuntime,
  type ContainerSpec,
  type ContainerState,
  type ContainerStats,
  type ExecResult,
  type TaskLimits,
} from './runtime.js';
import { signalNumber } from './signals.js';
import { readStats } from './stats.js';

/** Where the helpers are and how the runtime behaves; every field has a default. */
export interface RuncRuntimeOptions {
  runcPath?: string;
  conmonPath?: string;
  resolvConfPath?: string;
  /** The cgroup conmon processes are moved into, out of the agent's; null leaves them where they start. */
  conmonCgroup?: string | null;
  /** The init for initProcessEnabled; null for none; default: the first static tini-like binary or busybox found. */
  init?: InitProcess | null;
  /** How often pending waits re-check besides inotify. */
  exitPollMs?: number;
}

/** How long a monitor may take to write the exit file after its container's process is gone. */
const EXIT_FILE_GRACE_MS = 3_000;

/**
 * Runs containers with runc, each under its own conmon monitor, with no daemon: the state root
 * holds runc's state (`runc/`), one directory per container (`containers/<id>/`: handle.json,
 * the bundle with the overlay rootfs, upper and work dirs, /etc files, conmon's files) and conmon's
 * exit files (`exits/<id>`). Everything is read back from there, so a new instance over the same
 * root adopts the containers an earlier one started.
 */
export class RuncRuntime implements ContainerRuntime {
  private readonly runc: Runc;
  private readonly exits: ExitWatcher;
  private initLookup: Promise<InitProcess | undefined> | undefined;

  constructor(
    readonly root: string,
    private readonly options: RuncRuntimeOptions = {},
  ) {
    if (!isAbsolute(root)) throw invalidParameter(`The runtime state root must be an absolute path: ${root}`);
    this.runc = new Runc(options.runcPath ?? '/usr/sbin/runc', join(root, 'runc'));
    this.exits = new ExitWatcher(join(root, 'exits'), (id) => this.checkExit(id), options.exitPollMs);
  }

  async start(spec: ContainerSpec): Promise<{ pid: number; startedAt: Date }> {
    checkSpec(spec);
    const cgroupsPath = `/${checkCgroupParent(spec.cgroupParent ?? DEFAULT_CGROUP_PARENT)}/${spec.id}`;
    const paths = this.paths(spec.id);
    await mkdir(join(this.root, 'containers'), { recursive: true, mode: 0o700 });
    await mkdir(join(this.root, 'exits'), { recursive: true, mode: 0o700 });
    try {
      // Private: the bundle's config.json below holds the container's environment, secrets included.
      await mkdir(paths.dir, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new DomainError(ErrorKind.AlreadyExists, `container ${spec.id} already exists`, 'container');
      }
      throw e;
    }
    const handle: ContainerHandle = { version: HANDLE_VERSION, id: spec.id, cgroupsPath, createdAt: new Date().toISOString() };
    await writeHandle(paths, handle);
    try {
      const init = spec.initProcessEnabled ? await this.init() : undefined;
      await prepareBundle(paths, spec, { cgroupsPath, resolvConfPath: this.options.resolvConfPath ?? '/etc/resolv.conf', init });
      const pid = await launchConmon({
        conmonPath: this.options.conmonPath ?? '/usr/bin/conmon',
        runcPath: this.runc.path,
        runcRoot: this.runc.root,
        paths,
        logPath: spec.logPath,
        exitDir: join(this.root, 'exits'),
        ...(this.options.conmonCgroup !== null ? { conmonCgroup: this.options.conmonCgroup ?? `${DEFAULT_CGROUP_PARENT}/conmon` } : {}),
      });
      // Read while the process waits in `runc init` for the start: it cannot have exited yet.
      handle.pid = pid;
      handle.pidStartTime = (await procStat(pid))?.startTime;
      handle.conmonPid = Number((await readFile(paths.conmonPidFile, 'utf8')).trim());
      handle.conmonStartTime = (await procStat(handle.conmonPid))?.startTime;
      await writeHandle(paths, handle);
      if (!(await startByExecFifo(this.runc.root, spec.id, pid, handle.pidStartTime))) await this.runc.start(spec.id);
      const startedAt = new Date();
      handle.startedAt = startedAt.toISOString();
      await writeHandle(paths, handle);
      return { pid, startedAt };
    } catch (e) {
      await this.destroy(paths, handle).catch(() => undefined);
      throw e;
    }
  }

  async kill(id: string, signal: string): Promise<void> {
    const handle = await this.mustHandle(id);
    const n = signalNumber(signal);
    if (handle.exit) return;
    if (handle.pid === undefined) throw failedPrecondition('container-not-started', `container ${id} has not started`);
    // A container that stopped meanwhile is not an error: the caller wanted it to stop. The
    // signal goes straight to the init process, as `runc kill` sends it, once the pid is known
    // to be still the container's (its start time), without a runc process per signal.
    if (!(await isRunning(handle.pid, handle.pidStartTime))) return;
    try {
      process.kill(handle.pid, n);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }

  async wait(id: string): Promise<ContainerExit> {
    const handle = await this.mustHandle(id);
    return exitOf(handle) ?? this.exits.wait(id);
  }

  async status(id: string): Promise<ContainerState | undefined> {
    const paths = this.paths(id);
    const handle = await readHandle(paths);
    if (!handle) return undefined;
    let exit = await this.observeExit(paths, handle);
    if (!exit && handle.pid !== undefined && !(await isRunning(handle.pid, handle.pidStartTime))) {
      // Gone, but conmon has not written the exit file yet: it does within moments.
      for (let waited = 0; !exit && waited < EXIT_FILE_GRACE_MS; waited += 50) {
        await sleep(50);
        exit = await this.observeExit(paths, handle);
      }
    }
    if (exit) return { status: 'stopped', exit };
    if (!(await this.started(handle))) return { status: 'created' };
    return { status: 'running', pid: handle.pid! };
  }

  async exec(id: string, args: string[], options: { timeoutMs: number; env?: string[] }): Promise<ExecResult> {
    const state = await this.status(id);
    if (!state) throw notFound('container', `container ${id} does not exist`);
    if (state.status !== 'running') throw failedPrecondition('container-not-running', `container ${id} is not running`);
    const pidFile = join(this.paths(id).dir, `exec-${randomBytes(6).toString('hex')}.pid`);
    return runExec(this.runc, id, args, { ...options, pidFile });
  }

  async stats(id: string): Promise<ContainerStats | undefined> {
    const handle = await readHandle(this.paths(id));
    return handle && readStats(handle.cgroupsPath);
  }

  async remove(id: string): Promise<void> {
    if (!CONTAINER_ID.test(id)) return;
    const paths = this.paths(id);
    const handle = await readHandle(paths);
    if (!handle) {
      await rm(paths.dir, { recursive: true, force: true });
      return;
    }
    // A created container never ran the user's process: removing it ends runc's waiting init.
    const running =
      handle.pid !== undefined && !(await this.observeExit(paths, handle)) && (await isRunning(handle.pid, handle.pidStartTime)) && (await this.started(handle));
    if (running) throw failedPrecondition('container-running', `container ${id} is running; stop it before removing it`);
    await this.destroy(paths, handle);
  }

  async list(): Promise<string[]> {
    return listHandles(this.root);
  }

  async setTaskLimits(cgroupParent: string, limits: TaskLimits): Promise<void> {
    await setTaskLimits(cgroupParent, limits);
  }

  async removeTaskCgroup(cgroupParent: string): Promise<void> {
    await removeCgroup(checkCgroupParent(cgroupParent));
  }

  /** Stops watching for exits; pending waits reject. The containers run on. */
  close(): void {
    this.exits.close(new DomainError(ErrorKind.Unavailable, 'the container runtime was closed', 'container-runtime'));
  }

  /**
   * Whether the user's process may have started. The handle says so once the start returned; a
   * start cut short (e.g. by a crash) may have released runc's init already: the init is released
   * as soon as the FIFO is opened, and removes it only later, so only an init that still waits —
   * FIFO present and the process still runc's init — counts as not started.
   */
  private async started(handle: ContainerHandle): Promise<boolean> {
    if (handle.startedAt !== undefined) return true;
    if (handle.pid === undefined) return false;
    const fifo = await access(join(this.runc.root, handle.id, EXEC_FIFO)).then(() => true, () => false);
    const comm = await readFile(`/proc/${handle.pid}/comm`, 'utf8').then((t) => t.trim(), () => undefined);
    return !(fifo && comm === RUNC_INIT_COMM && (await isRunning(handle.pid, handle.pidStartTime)));
  }

  private paths(id: string): ContainerPaths {
    return new ContainerPaths(this.root, id);
  }

  private async mustHandle(id: string): Promise<ContainerHandle> {
    const handle = CONTAINER_ID.test(id) ? await readHandle(this.paths(id)) : undefined;
    if (!handle) throw notFound('container', `container ${id} does not exist`);
    return handle;
  }

  private init(): Promise<InitProcess> {
    if (this.options.init !== undefined) {
      const init = this.options.init;
      return init ? Promise.resolve(init) : Promise.reject(failedPrecondition('no-init', 'initProcessEnabled is not available: no init is configured'));
    }
    this.initLookup ??= findInit();
    return this.initLookup.then((init) => {
      if (!init) throw failedPrecondition('no-init', 'initProcessEnabled needs a static tini (tini-static) or busybox on the host');
      return init;
    });
  }

  private async checkExit(id: string): Promise<ContainerExit | undefined> {
    const paths = this.paths(id);
    const handle = await readHandle(paths);
    if (!handle) throw notFound('container', `container ${id} was removed`);
    return this.observeExit(paths, handle);
  }

  /**
   * The container's exit once final, recorded in its handle the first time: from conmon's exit
   * file, or, when the monitor died without writing one and the process is gone too, -1. An exit
   * by SIGKILL is an OOM kill when conmon saw the cgroup's OOM event or the cgroup counted a kill
   * (a sibling's OOM in a shared task cgroup notifies us too, but does not kill us).
   */
  private async observeExit(paths: ContainerPaths, handle: ContainerHandle): Promise<ContainerExit | undefined> {
    if (handle.exit) return exitOf(handle);
    if (handle.pid === undefined) return undefined;
    const readExitFile = () => readFile(paths.exitFile, 'utf8').catch(() => undefined);
    let text = await readExitFile();
    if (text === undefined || text.trim() === '') {
      if (await isRunning(handle.pid, handle.pidStartTime)) return undefined;
      if (await isRunning(handle.conmonPid, handle.conmonStartTime)) return undefined;
      // conmon writes the file before it exits: now that it is gone, the file is there or never will be.
      text = await readExitFile();
    }
    let exitCode: number;
    let exitedAt: Date;
    if (text !== undefined && text.trim() !== '') {
      const n = Number(text.trim());
      exitCode = Number.isInteger(n) ? n : -1;
      exitedAt = (await stat(paths.exitFile)).mtime;
    } else {
      exitCode = -1;
      exitedAt = new Date();
    }
    const oomEvent = await access(join(paths.persist, 'oom')).then(() => true, () => false);
    const oomKilled = exitCode === 137 && (oomEvent || (await oomKillCount(handle.cgroupsPath).catch(() => 0)) > 0);
    handle.exit = { exitCode, oomKilled, exitedAt: exitedAt.toISOString() };
    await writeHandle(paths, handle);
    return exitOf(handle);
  }

  /** Deletes everything of a container but its log: runc state, monitor, mount, cgroup, files. */
  private async destroy(paths: ContainerPaths, handle: ContainerHandle): Promise<void> {
    // Once the init is gone, its PID namespace is gone with every process in it: all `runc delete`
    // would do is remove its state directory and the cgroup (removed below), after a SIGKILL and a
    // fixed 100 ms wait. Only a container that may still run needs runc to kill it.
    if (handle.pid !== undefined && !(await isRunning(handle.pid, handle.pidStartTime))) {
      await rm(join(this.runc.root, paths.id), { recursive: true, force: true });
    } else {
      await this.runc.delete(paths.id);
    }
    await stopMonitor(paths, handle);
    await unmount(paths.rootfs);
    await removeCgroup(handle.cgroupsPath.replace(/^\//, ''));
    await rm(paths.exitFile, { force: true });
    // The handle goes last, so that a remove cut short can be retried by id.
    for (const name of ['bundle', 'upper', 'work', 'l', 'etc', 'persist']) await rm(join(paths.dir, name), { recursive: true, force: true });
    await rm(paths.dir, { recursive: true, force: true });
    this.exits.cancel(paths.id, notFound('container', `container ${paths.id} was removed`));
  }
}

/**
 * A monitor still alive once its container is deleted gets a moment to finish its log, then
 * SIGKILL. A start cut short may not have recorded the monitor's pid: conmon's pid file has it.
 */
async function stopMonitor(paths: ContainerPaths, handle: ContainerHandle): Promise<void> {
  let pid = handle.conmonPid;
  let startTime = handle.conmonStartTime;
  if (pid === undefined) {
    pid = Number((await readFile(paths.conmonPidFile, 'utf8').catch(() => '')).trim()) || undefined;
    const cmdline = pid ? await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '') : '';
    // Only a conmon of this very container, in case the pid was recycled.
    if (!cmdline.includes('conmon') || !cmdline.split('\0').includes(paths.id)) return;
    startTime = (await procStat(pid!))?.startTime;
  }
  for (let waited = 0; waited < 2_000; waited += 50) {
    if (!(await isRunning(pid, startTime))) return;
    await sleep(50);
  }
  if (pid !== undefined && (await isRunning(pid, startTime))) process.kill(pid, 'SIGKILL');
}

function checkSpec(spec: ContainerSpec): void {
  if (!CONTAINER_ID.test(spec.id)) throw invalidParameter(`Invalid container id: ${spec.id}`);
  if (spec.args.length === 0) throw invalidParameter('A container needs a command to run');
  if (!isAbsolute(spec.logPath)) throw invalidParameter(`The log path must be absolute: ${spec.logPath}`);
  if (spec.layerDirs.length === 0 || !spec.layerDirs.every(isAbsolute)) throw invalidParameter('A container needs absolute layer directories');
}
