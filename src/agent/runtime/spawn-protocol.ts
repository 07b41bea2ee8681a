/**
 * The messages between the agent and its spawn server (spawn-server.ts, spawn-server-main.ts):
 * plain JSON over the IPC channel of the server process.
 */

/** One helper command to run to completion. */
export interface RunRequest {
  file: string;
  args: string[];
  cwd?: string;
  /** The child's whole environment (nothing of the server's is inherited). */
  env: Record<string, string>;
  /** Written to the child's stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
  /** The child is killed with SIGKILL past this many milliseconds. */
  timeoutMs: number;
  /** Collect stderr into stdout, in the order the bytes arrive (stderr stays empty). */
  mergeOutput?: boolean;
  /** Bytes of output kept per stream; default {@link MAX_OUTPUT}. */
  maxOutput?: number;
}

/** How a helper command ended. */
export interface RunResult {
  /** The exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the server killed it at its timeout. */
  timedOut: boolean;
}

/** What the agent asks of the server. */
export type RequestBody = { kind: 'run'; run: RunRequest } | { kind: 'conmon'; launch: ConmonLaunchMessage };

/** A request from the agent, numbered so the answer can be matched. */
export type ServerRequest = RequestBody & { id: number };

/** A conmon launch (conmon.ts's ConmonLaunch) as sent over the channel: the container by state root and id. */
export interface ConmonLaunchMessage {
  conmonPath: string;
  runcPath: string;
  runcRoot: string;
  /** The runtime's state root and the container id, which make its ContainerPaths. */
  root: string;
  id: string;
  logPath: string;
  exitDir: string;
  conmonCgroup?: string;
  timeoutMs?: number;
}

/** The answer to one request. */
export type ServerReply =
  | { id: number; ok: true; run?: RunResult; pid?: number }
  | { id: number; ok: false; error: { message: string; name?: string; kind?: string; code?: string } };

/** Output kept per stream: helpers print a few KiB at most. */
export const MAX_OUTPUT = 4 * 1024 * 1024;
