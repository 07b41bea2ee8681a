import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import { runChild } from './run-child.js';
import type { ConmonLaunchMessage, RequestBody, RunRequest, RunResult, ServerReply, ServerRequest } from './spawn-protocol.js';

type Success = Extract<ServerReply, { ok: true }>;

interface Pending {
  /** The server process the request went to: only its end fails the request. */
  child: ChildProcess;
  resolve: (reply: Success) => void;
  reject: (err: Error) => void;
}

/**
 * The agent's side of the spawn server: a small Node process, forked once, that spawns the helper
 * commands for it. Node spawns by fork(), which copies the parent's page tables and holds the
 * event loop meanwhile: in an agent of 150–250 MiB that is 5–10 ms per helper, several helpers
 * per task start, all of it on the one thread that serves the API. The server, a fraction of the
 * agent's size, forks several times faster, and beside the agent's loop. A server that dies fails the requests
 * it held; the next request forks a new one. The server never keeps the agent alive: its channel
 * is referenced only while requests are pending.
 */
export class SpawnServer {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** Runs one helper command to completion in the server. */
  async run(req: RunRequest): Promise<RunResult> {
    return (await this.request({ kind: 'run', run: req })).run!;
  }

  /** Starts a container's conmon from the server (conmon.ts's launchConmonHere) and resolves with the container's pid. */
  async launchConmon(launch: ConmonLaunchMessage): Promise<number> {
    return (await this.request({ kind: 'conmon', launch })).pid!;
  }

  /** Ends the server (it exits once its channel closes); a later request starts another. */
  close(): void {
    this.child?.disconnect();
    this.child = undefined;
  }

  private request(body: RequestBody): Promise<Success> {
    const child = this.ensure();
    const id = this.nextId++;
    return new Promise<Success>((resolve, reject) => {
      this.pending.set(id, { child, resolve, reject });
      child.channel?.ref();
      child.send({ ...body, id } satisfies ServerRequest, (err) => {
        if (err) this.settle(id, (p) => p.reject(err));
      });
    });
  }

  private ensure(): ChildProcess {
    if (this.child?.connected) return this.child;
    const { path, execArgv } = serverEntry();
    const child = fork(path, [], {
      execArgv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      // Its own process group: a terminal's Ctrl-C is the agent's to handle, not its helpers'.
      detached: true,
      serialization: 'json',
    });
    child.unref();
    child.channel?.unref();
    child.on('message', (reply: ServerReply) => this.onReply(reply));
    const gone = (why: string) => {
      if (this.child === child) this.child = undefined;
      for (const [id, p] of [...this.pending]) {
        if (p.child === child) this.settle(id, () => p.reject(new DomainError(ErrorKind.Internal, `the spawn server ${why}`, 'container-runtime')));
      }
    };
    child.on('error', (e) => gone(`failed: ${e.message}`));
    child.on('exit', (code, signal) => gone(`exited (${code ?? signal})`));
    this.child = child;
    return child;
  }

  private onReply(reply: ServerReply): void {
    this.settle(reply.id, (p) => {
      if (reply.ok) return p.resolve(reply);
      const { message, kind, code } = reply.error;
      const err = kind ? new DomainError(kind as ErrorKind, message, 'container-runtime') : Object.assign(new Error(message), code && { code });
      p.reject(err);
    });
  }

  private settle(id: number, fn: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (![...this.pending.values()].some((other) => other.child === p.child)) p.child.channel?.unref();
    fn(p);
  }
}

/** The server's entry: the compiled module beside this one, or under tsx the TypeScript source. */
function serverEntry(): { path: string; execArgv: string[] } {
  if (import.meta.url.endsWith('.ts')) {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    return { path: fileURLToPath(new URL('./spawn-server-main.ts', import.meta.url)), execArgv: ['--import', pathToFileURL(tsx).href] };
  }
  return { path: fileURLToPath(new URL('./spawn-server-main.js', import.meta.url)), execArgv: [] };
}

let shared: SpawnServer | undefined;

/**
 * The process's spawn server, or undefined when helpers run in this process: when
 * `MINATO_SPAWN_SERVER=0`, and inside the server itself.
 */
export function spawnServer(): SpawnServer | undefined {
  if (process.env.MINATO_SPAWN_SERVER === '0' || isServer) return undefined;
  shared ??= new SpawnServer();
  return shared;
}

let isServer = false;

/** Marks this process as the spawn server: its helpers run here. */
export function markAsSpawnServer(): void {
  isServer = true;
}

/** Runs a helper command through the spawn server, or here when there is none. */
export function runHelper(req: RunRequest): Promise<RunResult> {
  const server = spawnServer();
  return server ? server.run(req) : runChild(req);
}
