import { constants } from 'node:fs';
import { open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import { isRunning } from './proc.js';

/** runc's start handshake: the FIFO in a created container's state directory. */
export const EXEC_FIFO = 'exec.fifo';

/** How long a created container's init may take to reach the handshake. */
const START_TIMEOUT_MS = 10_000;

/**
 * Starts a created container the way `runc start` does, without running runc: `runc create` leaves
 * the init process blocked opening `<runc root>/<id>/exec.fifo` for writing; reading a byte from it
 * lets the init exec the user's process, and removing the FIFO is what turns runc's view of the
 * container from `created` to `running` (runc 1.x decides by that file's presence). Saves a runc
 * process per container start. Returns false when there is no FIFO (not a created container, or
 * another runc layout): the caller then runs `runc start`, which gives runc's own answer.
 */
export async function startByExecFifo(runcRoot: string, id: string, pid: number, pidStartTime: number | undefined): Promise<boolean> {
  const fifo = join(runcRoot, id, EXEC_FIFO);
  // Non-blocking: the open succeeds at once, and a dead init cannot leave us blocked in it.
  const fh = await open(fifo, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (!fh) return false;
  try {
    const buf = Buffer.alloc(16);
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if ((await readSome(fh, buf)) > 0) break;
      // A short-lived process may have started, run and ended since that read: its byte is then
      // still in the FIFO, which stays readable while we hold it open.
      if (!(await isRunning(pid, pidStartTime))) {
        if ((await readSome(fh, buf)) > 0) break;
        throw startFailure(id, 'the container process is already dead');
      }
      if (Date.now() > deadline) throw startFailure(id, `the container process did not reach its start within ${START_TIMEOUT_MS} ms`);
      await sleep(1);
    }
  } finally {
    await fh.close();
  }
  await rm(fifo, { force: true });
  await execOf(pid);
  return true;
}

/** The name runc 1.x gives its init until it execs the container's process. */
export const RUNC_INIT_COMM = 'runc:[2:INIT]';

/** How long the released init may take to exec; past it the start is reported anyway. */
const EXEC_WAIT_MS = 1_000;

/**
 * Waits until the released init has exec'd the container's process (or ended), so that the
 * container counts as started once its own program runs: a stop signal sent as soon as the task
 * is RUNNING must find the program's handlers, not runc's init, which would drop it (a PID
 * namespace's init gets no signal it has no handler for). `runc start` gave the same margin by
 * the time it took to exit.
 */
async function execOf(pid: number): Promise<void> {
  const deadline = Date.now() + EXEC_WAIT_MS;
  while (Date.now() <= deadline) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => undefined);
    if (comm === undefined || comm.trim() !== RUNC_INIT_COMM) return;
    await sleep(1);
  }
}

/** Reads what the FIFO holds: 0 when the writer has not opened it yet (EOF) or has not written (EAGAIN). */
async function readSome(fh: FileHandle, buf: Buffer): Promise<number> {
  try {
    return (await fh.read(buf, 0, buf.length, null)).bytesRead;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return 0;
    throw e;
  }
}

function startFailure(id: string, why: string): DomainError {
  return new DomainError(ErrorKind.Internal, `cannot start container ${id}: ${why}`, 'container-runtime');
}
