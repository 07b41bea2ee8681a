/**
 * One HAProxy master (master-worker mode) that outlives the platform: started detached (-D),
 * found again through its pid file, reloaded through the master CLI (the new worker takes the
 * listening sockets from the old one, which finishes its in-flight requests), and stopped.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { currentWorkerPid, failedReloads, socketCommand } from './runtime-api.js';

const run = promisify(execFile);

/** The files one HAProxy instance lives by. */
export interface HaproxyFiles {
  binary: string;
  configFile: string;
  pidFile: string;
  masterSocket: string;
}

/** Checks a configuration without running it; throws HAProxy's complaint. */
export async function checkConfig(binary: string, configFile: string): Promise<void> {
  try {
    await run(binary, ['-c', '-q', '-f', configFile]);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`HAProxy refuses the configuration: ${(err.stderr ?? err.message).trim()}`);
  }
}

/** A running master, started here or found again. */
export class HaproxyMaster {
  private constructor(
    private readonly files: HaproxyFiles,
    /** The master's pid. */
    readonly pid: number,
  ) {}

  /** Starts a master with its first worker; resolves once it serves. */
  static async start(files: HaproxyFiles): Promise<HaproxyMaster> {
    try {
      await run(files.binary, ['-W', '-D', '-S', `${files.masterSocket},mode,600`, '-f', files.configFile]);
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`HAProxy did not start: ${(err.stderr ?? err.message).trim()}`);
    }
    const pid = await readPid(files.pidFile);
    if (pid === undefined) throw new Error('HAProxy started but wrote no pid file');
    const master = new HaproxyMaster(files, pid);
    await master.waitForWorker(undefined);
    return master;
  }

  /**
   * The master a previous run left, if its pid file names a live HAProxy of this configuration
   * that answers on its master socket; a live one that does not answer is stopped.
   */
  static async adopt(files: HaproxyFiles): Promise<HaproxyMaster | undefined> {
    const pid = await readPid(files.pidFile);
    if (pid === undefined || !(await isOurs(pid, files.configFile))) return undefined;
    const master = new HaproxyMaster(files, pid);
    try {
      const proc = await socketCommand(files.masterSocket, 'show proc', { master: true, timeoutMs: 2000 });
      if (currentWorkerPid(proc) !== undefined) return master;
    } catch {
      // Not answering: replaced below.
    }
    await master.stop();
    return undefined;
  }

  /** The current worker's pid. */
  async workerPid(): Promise<number | undefined> {
    return currentWorkerPid(await socketCommand(this.files.masterSocket, 'show proc', { master: true }));
  }

  /** Reloads the configuration file (already checked) without dropping connections. */
  async reload(): Promise<void> {
    const proc = await this.showProc();
    // The master re-executes itself on `reload` and may drop this connection without answering.
    await socketCommand(this.files.masterSocket, 'reload', { master: true, timeoutMs: 2000 }).catch(() => '');
    await this.waitForWorker(currentWorkerPid(proc), failedReloads(proc));
  }

  private showProc(): Promise<string> {
    return socketCommand(this.files.masterSocket, 'show proc', { master: true });
  }

  /**
   * Waits until a worker other than `previous` runs. A reload that fails (a listener's address
   * taken, say) leaves the old worker serving and counts in the master's `failed`.
   */
  private async waitForWorker(previous: number | undefined, failed = 0): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const proc = await this.showProc().catch(() => '');
      const pid = currentWorkerPid(proc);
      if (pid !== undefined && pid !== previous) return;
      if (failedReloads(proc) > failed) throw new Error('HAProxy could not load the new configuration; the previous one still serves');
      if (Date.now() > deadline) throw new Error('HAProxy did not start a new worker');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stops the master and its workers now (SIGTERM) and waits until they are gone. */
  async stop(): Promise<void> {
    const workers = await this.workerPid().catch(() => undefined);
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = Date.now() + 10_000;
    while (alive(this.pid) || (workers !== undefined && alive(workers))) {
      if (Date.now() > deadline) {
        for (const p of [this.pid, workers]) if (p !== undefined && alive(p)) process.kill(p, 'SIGKILL');
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

async function readPid(pidFile: string): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by its parent) no longer serves; /proc reads do not block.
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pid runs HAProxy with this configuration file (not a recycled pid of another program). */
async function isOurs(pid: number, configFile: string): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const args = cmdline.split('\0');
  return /haproxy/.test(args[0] ?? '') && args.includes(configFile) && alive(pid);
}
