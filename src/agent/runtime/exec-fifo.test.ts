import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXEC_FIFO, startByExecFifo } from './exec-fifo.js';
import { procStat } from './proc.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'exec-fifo-'));
  mkdirSync(join(root, 'c1'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const fifoOf = (id: string) => join(root, id, EXEC_FIFO);
const mkfifo = (path: string) => expect(spawnSync('mkfifo', [path]).status).toBe(0);

describe('startByExecFifo', () => {
  it('reads the byte a waiting writer sends (as runc init does), then removes the FIFO', async () => {
    mkfifo(fifoOf('c1'));
    // Like runc init: blocks opening the FIFO for writing until someone reads, then writes "0".
    const writer = spawn('/bin/sh', ['-c', `sleep 0.05; printf 0 > ${fifoOf('c1')}; sleep 5`], { stdio: 'ignore' });
    try {
      const started = await startByExecFifo(root, 'c1', writer.pid!, (await procStat(writer.pid!))?.startTime);
      expect(started).toBe(true);
      expect(existsSync(fifoOf('c1'))).toBe(false);
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('answers false when the container has no FIFO (not a created container)', async () => {
    expect(await startByExecFifo(root, 'c1', process.pid, undefined)).toBe(false);
  });

  it('fails when the process that should write is gone', async () => {
    mkfifo(fifoOf('c1'));
    const gone = spawnSync('/bin/true').pid!;
    await expect(startByExecFifo(root, 'c1', gone, undefined)).rejects.toThrow(/already dead/);
    // Nothing was started: the FIFO stays for runc's own start or delete.
    expect(existsSync(fifoOf('c1'))).toBe(true);
  });
});
