import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunnerNetwork } from './ports.js';
import type { RunContext, RunTimestamps } from './run-context.js';

/** What a run saves so that a restarted agent can adopt its containers. */
export interface SavedState {
  network: RunnerNetwork;
  /** The ENI attachment id reported for the task (absent in files of older versions). */
  attachmentId?: string;
  /** Each container's metadata endpoint token, by name (absent in files of older versions). */
  tokens?: Record<string, string>;
  /** The id of the task's role credentials (absent in files of older versions). */
  credentialsId?: string;
  timestamps: RunTimestamps;
  images: Record<string, { manifestDigest: string; stopSignal?: string }>;
}

const STATE_FILE = 'run.json';

/** Saves the run's state (network, timestamps, attachment id, tokens, images) once its images are pulled. */
export async function saveRunState(ctx: RunContext): Promise<void> {
  const list = [...ctx.containers.values()];
  const state: SavedState = {
    network: ctx.network!,
    timestamps: ctx.timestamps,
    attachmentId: ctx.attachmentId,
    tokens: Object.fromEntries(list.map((c) => [c.def.name!, c.token])),
    credentialsId: ctx.credentialsId,
    images: Object.fromEntries(
      list.map((c) => [c.def.name!, { manifestDigest: c.image!.manifestDigest, ...(c.image!.config.StopSignal && { stopSignal: c.image!.config.StopSignal }) }]),
    ),
  };
  // Mode 0600: the metadata tokens are the containers' credentials to their own documents.
  // Written whole or not at all (a temporary file renamed), since a torn file would read as none.
  const path = join(ctx.dir, STATE_FILE);
  await writeFile(`${path}.tmp`, JSON.stringify(state), { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

/** The state a run saved in `dir`; undefined when there is none. A file that does not parse throws. */
export function readRunState(dir: string): Promise<SavedState | undefined> {
  return readFile(join(dir, STATE_FILE), 'utf8').then((t) => JSON.parse(t) as SavedState, () => undefined);
}
