import { commandError, runCommand } from './command.js';

/** runc's view of a container (`runc state`). */
export interface RuncState {
  id: string;
  pid: number;
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped';
}

const NOT_FOUND = /does not exist|not exist|no such/i;

/** runc's command line over our own state root (`--root`). */
export class Runc {
  constructor(
    readonly path: string,
    readonly root: string,
  ) {}

  /** The global args every call starts with. */
  args(...rest: string[]): string[] {
    return ['--root', this.root, ...rest];
  }

  /** Starts a created container (runs the user process). */
  async start(id: string): Promise<void> {
    const r = await runCommand(this.path, this.args('start', id));
    if (r.code !== 0) throw commandError('runc', ['start'], r);
  }

  /** runc's state of a container, or undefined when runc does not know it. */
  async state(id: string): Promise<RuncState | undefined> {
    const r = await runCommand(this.path, this.args('state', id));
    if (r.code !== 0) {
      if (NOT_FOUND.test(r.stderr)) return undefined;
      throw commandError('runc', ['state'], r);
    }
    return JSON.parse(r.stdout) as RuncState;
  }

  /** Deletes the container's runc state and cgroup, killing what is left (idempotent). */
  async delete(id: string): Promise<void> {
    const r = await runCommand(this.path, this.args('delete', '--force', id));
    if (r.code !== 0 && !NOT_FOUND.test(r.stderr)) throw commandError('runc', ['delete'], r);
  }
}
