import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { type CniAttachment, type CniCommand, parseCniResult, type CniResult } from './cni-types.js';
import { execFile } from './exec.js';

/** A plugin failed: its error result (spec section 5), or what is known of a crash. */
export class CniError extends Error {
  override readonly name = 'CniError';
  constructor(
    readonly plugin: string,
    readonly command: CniCommand,
    /** The spec's error code (e.g. 11 "try again later"), 0 when the plugin gave none. */
    readonly code: number,
    message: string,
    readonly details?: string,
  ) {
    super(`CNI ${plugin} ${command} failed: ${message}${details ? ` (${details})` : ''}`);
  }
}

/** Where plugins are found and how long they may run. */
export interface CniExecOptions {
  /** `CNI_PATH`: directories holding plugin binaries, separated by `:`. */
  cniPath: string;
  timeoutMs: number;
}

/** The plugin binary for `type`, searched in `CNI_PATH` order as the spec requires. */
export async function findPlugin(type: string, cniPath: string): Promise<string> {
  // A type is a file name; anything else could run a binary outside CNI_PATH.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(type)) throw new CniError(type, 'ADD', 0, `invalid plugin type "${type}"`);
  for (const dir of cniPath.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, type);
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  throw new CniError(type, 'ADD', 0, `plugin not found in CNI_PATH ${cniPath}`);
}

/**
 * Runs one plugin once: the command and attachment in the environment, `config` as JSON on stdin.
 * Resolves with the parsed stdout (the result for ADD and VERSION, usually nothing for DEL and CHECK).
 */
export async function execPlugin(
  type: string,
  command: CniCommand,
  attachment: CniAttachment | undefined,
  config: object,
  opts: CniExecOptions,
): Promise<unknown> {
  const file = await findPlugin(type, opts.cniPath);
  const env: NodeJS.ProcessEnv = {
    // Plugins run helpers (iptables, the IPAM plugin) and find them through PATH and CNI_PATH.
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: command,
    CNI_PATH: opts.cniPath,
  };
  if (attachment) {
    env.CNI_CONTAINERID = attachment.containerId;
    env.CNI_NETNS = attachment.netns;
    env.CNI_IFNAME = attachment.ifName;
    if (attachment.args) env.CNI_ARGS = attachment.args;
  }
  const r = await execFile(file, [], { input: JSON.stringify(config), env, timeoutMs: opts.timeoutMs });
  const out = r.stdout.trim();
  if (r.code !== 0) throw pluginFailure(type, command, out, r.stderr, r.code ?? r.signal);
  if (!out) return undefined;
  try {
    return JSON.parse(out) as unknown;
  } catch {
    throw new CniError(type, command, 0, `unreadable output: ${out.slice(0, 200)}`);
  }
}

/** Runs ADD, whose output must be a success result. */
export async function execAdd(type: string, attachment: CniAttachment, config: object, opts: CniExecOptions): Promise<CniResult> {
  const out = await execPlugin(type, 'ADD', attachment, config, opts);
  try {
    return parseCniResult(out);
  } catch (e) {
    throw new CniError(type, 'ADD', 0, (e as Error).message);
  }
}

function pluginFailure(type: string, command: CniCommand, stdout: string, stderr: string, exit: number | string | null): CniError {
  try {
    const e = JSON.parse(stdout) as { code?: unknown; msg?: unknown; details?: unknown };
    if (typeof e.msg === 'string') {
      return new CniError(type, command, typeof e.code === 'number' ? e.code : 0, e.msg, typeof e.details === 'string' && e.details ? e.details : undefined);
    }
  } catch {
    // not an error result; fall through to what the process printed
  }
  const text = (stderr.trim() || stdout).slice(0, 500);
  return new CniError(type, command, 0, `exited with ${exit}${text ? `: ${text}` : ''}`);
}
