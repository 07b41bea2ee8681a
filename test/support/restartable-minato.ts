/**
 * A `minato up` that a test kills and starts again on one data dir, with its own task bridge and
 * /24 (apart from other test platforms). Registers the file's cleanup: every process it started
 * is stopped, whatever a failed assertion left of their tasks is swept, the bridge, its firewall
 * chain and the data dir are removed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, expect } from 'vitest';
import { spawnMinato, type MinatoProcess } from './minato-process.js';
import { removeTaskBridge } from './platform.js';
import { sweepDataDir } from './sweep-data-dir.js';

/** The restartable process of a test file. */
export interface RestartableMinato {
  dataDir: string;
  /** Starts `minato up` on the data dir; returns a client of its endpoint. */
  up(): Promise<ECSClient>;
  /** SIGKILLs the running process (after destroying its client). */
  kill(ecs: ECSClient): Promise<void>;
  /** SIGTERMs the running process; resolves with its exit code. */
  stop(ecs: ECSClient): Promise<number | null>;
}

/** Call at the top level of a test file: `tag` names its bridge, `octet` the second octet of its subnet (10.<octet>.n.0/24). */
export function useRestartableMinato(tag: string, octet: number): RestartableMinato {
  const dataDir = mkdtempSync(join(tmpdir(), `minato-${tag}-`));
  const n = 1 + Math.floor(Math.random() * 250);
  const bridge = `mn${tag.slice(0, 4)}${process.pid % 1000}x${n}`;
  const network = ['--task-bridge', bridge, '--task-subnet', `10.${octet}.${n}.0/24`];
  const started: MinatoProcess[] = [];
  let current: MinatoProcess | undefined;
  afterAll(async () => {
    for (const p of started) await p.stop('SIGTERM');
    await sweepDataDir(dataDir);
    await removeTaskBridge(bridge).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });
  const running = (): MinatoProcess => {
    if (!current) throw new Error('minato is not running');
    return current;
  };
  return {
    dataDir,
    async up() {
      current = await spawnMinato(['--port', '0', '--data-dir', dataDir, ...network]);
      started.push(current);
      return new ECSClient({ endpoint: current.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    },
    async kill(ecs) {
      ecs.destroy();
      expect(await running().stop('SIGKILL')).toBe(null);
      current = undefined;
    },
    async stop(ecs) {
      ecs.destroy();
      const code = await running().stop('SIGTERM');
      current = undefined;
      return code;
    },
  };
}
