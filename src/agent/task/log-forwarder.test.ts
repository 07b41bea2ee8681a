import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogForwarder, parseK8sFileLines, type LogLine } from './log-forwarder.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseK8sFileLines', () => {
  it('reads time, stream and text, and joins partial records', () => {
    const { lines, pending } = parseK8sFileLines([
      '2024-05-01T10:00:00.123456789+00:00 stdout F hello world',
      '2024-05-01T10:00:01.000000000+00:00 stderr P part one, ',
      '2024-05-01T10:00:01.000000001+00:00 stderr F part two',
      '2024-05-01T10:00:02.000000000+00:00 stdout P dangling',
    ]);
    expect(lines).toEqual([
      { timestamp: Date.parse('2024-05-01T10:00:00.123Z'), stream: 'stdout', message: 'hello world' },
      { timestamp: Date.parse('2024-05-01T10:00:01.000Z'), stream: 'stderr', message: 'part one, part two' },
    ]);
    expect(pending).toBe('dangling');
  });
});

describe('LogForwarder', () => {
  it('delivers every line in order, across writes, and drains on close', async () => {
    const file = join(dir, 'c.log');
    writeFileSync(file, '');
    const got: LogLine[] = [];
    const forwarder = new LogForwarder(file, async (lines) => void got.push(...lines), () => undefined);
    forwarder.start();
    for (let i = 0; i < 2000; i++) appendFileSync(file, `2024-05-01T10:00:00.000000000+00:00 stdout F line ${i}\n`);
    appendFileSync(file, '2024-05-01T10:00:00.000000000+00:00 stdout F last');
    appendFileSync(file, '\n');
    await forwarder.close();
    expect(got.map((l) => l.message)).toEqual([...Array.from({ length: 2000 }, (_, i) => `line ${i}`), 'last']);
  });
});
