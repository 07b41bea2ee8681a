import { open } from 'node:fs/promises';

/** How a container's init is run: a static host binary bind-mounted in, and the argv around the app's. */
export interface InitProcess {
  /** The host binary, statically linked so that it runs in any image. */
  hostPath: string;
  /** Where it is mounted in the container: under /dev (a tmpfs), so the image is never touched. */
  destination: string;
  /** The container's argv with the init in front. */
  wrap(args: readonly string[]): string[];
}

/**
 * The busybox fallback: ash as PID 1 runs the app in the background, forwards the usual stop
 * signals to it, reaps every orphan while it waits (ash's wait reaps any child), and exits with the
 * app's status. Its limit, and why tini is preferred: POSIX shells start background jobs with
 * SIGINT and SIGQUIT ignored, so an app that installs no handler of its own cannot be stopped by
 * forwarding those two (SIGTERM, SIGHUP, SIGUSR1/2 and SIGKILL work).
 */
const BUSYBOX_INIT = [
  '"$@" &',
  'child=$!',
  'for sig in HUP INT QUIT USR1 USR2 TERM WINCH; do trap "kill -$sig \\$child 2>/dev/null" $sig; done',
  'code=0',
  // A trapped signal interrupts wait; loop until the app is really gone (a zombie still answers kill -0).
  'while kill -0 "$child" 2>/dev/null; do wait "$child"; code=$?; done',
  // If the signal raced the app's exit, the interrupted wait hid the status: ask once more (127 = already reported).
  'wait "$child" 2>/dev/null; last=$?',
  '[ "$last" -eq 127 ] || code=$last',
  'exit "$code"',
].join('\n');

const TINI_CANDIDATES = ['/usr/bin/tini-static', '/usr/bin/docker-init', '/usr/libexec/podman/catatonit', '/usr/bin/catatonit'];
const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];

/** A tini-compatible init (`init -- app args`): tini, Docker's docker-init (tini) or catatonit. */
export function tiniInit(hostPath: string): InitProcess {
  return { hostPath, destination: '/dev/init', wrap: (args) => ['/dev/init', '--', ...args] };
}

/** The busybox shell init; the mount name starts with "busybox" so that busybox reads argv[1] as the applet. */
export function busyboxInit(hostPath: string): InitProcess {
  return {
    hostPath,
    destination: '/dev/busybox-init',
    wrap: (args) => ['/dev/busybox-init', 'sh', '-c', BUSYBOX_INIT, 'minato-init', ...args],
  };
}

/**
 * Finds the init to use: a static tini-like binary when the host has one, else a static busybox,
 * else undefined (initProcessEnabled then fails with a clear error).
 */
export async function findInit(): Promise<InitProcess | undefined> {
  for (const p of TINI_CANDIDATES) if (await isStaticElf(p)) return tiniInit(p);
  for (const p of BUSYBOX_CANDIDATES) if (await isStaticElf(p)) return busyboxInit(p);
  return undefined;
}

const PT_INTERP = 3;

/** Whether `path` is a 64-bit little-endian ELF executable without a program interpreter (statically linked). */
export async function isStaticElf(path: string): Promise<boolean> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return false;
  try {
    const head = Buffer.alloc(64);
    await fh.read(head, 0, 64, 0);
    // "\x7fELF", ELFCLASS64, ELFDATA2LSB.
    if (head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return false;
    const phoff = Number(head.readBigUInt64LE(32));
    const phentsize = head.readUInt16LE(54);
    const phnum = head.readUInt16LE(56);
    if (phnum === 0 || phentsize < 4 || phnum > 256) return false;
    const table = Buffer.alloc(phentsize * phnum);
    await fh.read(table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) if (table.readUInt32LE(i * phentsize) === PT_INTERP) return false;
    return true;
  } finally {
    await fh.close();
  }
}
