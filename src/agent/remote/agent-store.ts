import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskLaunchSpec, TaskStateChange } from '../../agent-contract/task-contract.js';

/** One task the agent accepted, as saved: its spec and the cumulative state it reported. */
export interface SavedTask {
  spec: TaskLaunchSpec;
  state: TaskStateChange;
}

const SPEC_SUFFIX = '.json';
const STATE_SUFFIX = '.state.json';
const ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * What a remote agent keeps in its data dir so that a restart loses nothing: its container
 * instance ARN (`instance.json`), and per accepted task its launch spec (`specs/<taskId>.json`,
 * written before the task starts) and its cumulative reported state (`specs/<taskId>.state.json`).
 * Every write goes to a temporary file renamed into place, so a crash never leaves half a file.
 */
export class AgentStore {
  private readonly specsDir: string;

  constructor(private readonly dataDir: string) {
    this.specsDir = join(dataDir, 'specs');
  }

  /** The instance ARN and credential from an earlier registration, if any. */
  async instance(): Promise<{ containerInstanceArn: string; instanceSecret?: string } | undefined> {
    const text = await readFile(join(this.dataDir, 'instance.json'), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const { containerInstanceArn: arn, instanceSecret: secret } = JSON.parse(text) as { containerInstanceArn?: unknown; instanceSecret?: unknown };
    if (typeof arn !== 'string') return undefined;
    return { containerInstanceArn: arn, ...(typeof secret === 'string' && { instanceSecret: secret }) };
  }

  /** Remembers the instance ARN and its credential (the file is the agent's alone: mode 0600). */
  async saveInstance(containerInstanceArn: string, instanceSecret: string): Promise<void> {
    await this.write(join(this.dataDir, 'instance.json'), { containerInstanceArn, instanceSecret });
  }

  /** Saves an accepted task's spec (before it starts). */
  async saveSpec(spec: TaskLaunchSpec): Promise<void> {
    await this.write(this.path(spec.taskId, SPEC_SUFFIX), spec);
  }

  /** Saves a task's cumulative state. */
  async saveState(taskId: string, state: TaskStateChange): Promise<void> {
    await this.write(this.path(taskId, STATE_SUFFIX), state);
  }

  /** Drops everything about a task. */
  async forget(taskId: string): Promise<void> {
    await rm(this.path(taskId, SPEC_SUFFIX), { force: true });
    await rm(this.path(taskId, STATE_SUFFIX), { force: true });
  }

  /** Every saved task; unreadable files are skipped (and reported through `onBad`). */
  async load(onBad: (file: string, err: unknown) => void = () => {}): Promise<SavedTask[]> {
    const names = await readdir(this.specsDir).catch(() => [] as string[]);
    const out: SavedTask[] = [];
    for (const name of names) {
      if (!name.endsWith(SPEC_SUFFIX) || name.endsWith(STATE_SUFFIX)) continue;
      try {
        const spec = JSON.parse(await readFile(join(this.specsDir, name), 'utf8')) as TaskLaunchSpec;
        const state = await readFile(this.path(spec.taskId, STATE_SUFFIX), 'utf8').then((t) => JSON.parse(t) as TaskStateChange, () => ({}));
        out.push({ spec, state });
      } catch (err) {
        onBad(name, err);
      }
    }
    return out;
  }

  private path(taskId: string, suffix: string): string {
    // Task ids come from the control plane: never let one name a path outside the specs dir.
    if (!ID.test(taskId)) throw new Error(`invalid task id ${JSON.stringify(taskId)}`);
    return join(this.specsDir, `${taskId}${suffix}`);
  }

  private async write(path: string, value: unknown): Promise<void> {
    await mkdir(this.specsDir, { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    // Specs name secrets and instance.json holds the instance's credential: the agent's alone.
    await writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
    await rename(tmp, path);
  }
}
