/**
 * The local node provider's state file, `<state-dir>/nodes.json`: which nodes it started (pid,
 * namespace, veth, data dir) and the relay port agents join through, so that a later run finds
 * its nodes again or removes what is left of them. Written atomically (temp file and rename).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeInfo } from '../node-provider.js';

/** One node as recorded. */
export interface LocalNodeRecord {
  info: NodeInfo;
  /** Index in the node subnet (address `.10 + index`). */
  index: number;
  pid: number;
  netns: string;
  veth: string;
  address: string;
  dataDir: string;
}

/** The whole file. */
export interface LocalNodeState {
  version: 1;
  bridge: string;
  relayPort: number;
  nodes: LocalNodeRecord[];
}

const FILE = 'nodes.json';

/** The recorded state, or undefined when there is none (or it is unreadable). */
export function readNodeState(dir: string): LocalNodeState | undefined {
  const file = join(dir, FILE);
  if (!existsSync(file)) return undefined;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as LocalNodeState;
    return raw.version === 1 && Array.isArray(raw.nodes) ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the recorded state. */
export function writeNodeState(dir: string, state: LocalNodeState): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 1)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
