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
    expect(pending).toEqual({ stdout: 'dangling', stderr: '' });
  });

  it('continues a partial line with the next record of its own stream, whatever comes between', () => {
    const { lines, pending } = parseK8sFileLines([
      '2024-05-01T10:00:00.000000000+00:00 stdout P line 1',
      '2024-05-01T10:00:00.000000001+00:00 stderr F {"logType":"ErrorLog"}',
      '2024-05-01T10:00:00.000000002+00:00 stderr P err ',
      '2024-05-01T10:00:00.000000003+00:00 stdout F 536',
    ]);
    expect(lines.map((l) => [l.stream, l.message])).toEqual([
      ['stderr', '{"logType":"ErrorLog"}'],
      ['stdout', 'line 1536'],
    ]);
    expect(pending).toEqual({ stdout: '', stderr: 'err ' });
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

describe('LogForwarder and torn reads', () => {
  it('re-reads a record whose bytes were still zeros when it was read', async () => {
    const file = join(dir, 'torn.log');
    const first = '2024-05-01T10:00:00.000000000+00:00 stdout F one\n';
    const second = '2024-05-01T10:00:00.000000000+00:00 stdout F two\n';
    // The second record's space exists (the size grew) but its bytes are not there yet.
    writeFileSync(file, first + '\0'.repeat(second.length));
    const got: string[] = [];
    const forwarder = new LogForwarder(file, async (lines) => void got.push(...lines.map((l) => l.message)), () => undefined);
    forwarder.start();
    await new Promise((r) => setTimeout(r, 250));
    expect(got).toEqual(['one']);
    writeFileSync(file, first + second + '2024-05-01T10:00:00.000000000+00:00 stdout F three\n');
    await forwarder.close();
    expect(got).toEqual(['one', 'two', 'three']);
  });

  it('re-reads a finished record whose bytes were still zeros, not only the tail', async () => {
    const file = join(dir, 'torn-middle.log');
    const first = '2024-05-01T10:00:00.000000000+00:00 stdout F one\n';
    const second = '2024-05-01T10:00:00.000000000+00:00 stdout F two\n';
    const third = '2024-05-01T10:00:00.000000000+00:00 stdout F three\n';
    // The second record's bytes have not landed yet, the third's (and its newline) have.
    writeFileSync(file, first + '\0'.repeat(second.length - 1) + '\n' + third);
    const got: string[] = [];
    const forwarder = new LogForwarder(file, async (lines) => void got.push(...lines.map((l) => l.message)), () => undefined);
    forwarder.start();
    for (let i = 0; i < 2_000 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 1));
    expect(got).toEqual(['one']);
    expect(forwarder.position).toBe(first.length);
    writeFileSync(file, first + second + third);
    await forwarder.close();
    expect(got).toEqual(['one', 'two', 'three']);
  });

  it('does not stall on zeros a container printed itself', async () => {
    const file = join(dir, 'zeros.log');
    writeFileSync(file, '2024-05-01T10:00:00.000000000+00:00 stdout F a\0b\n2024-05-01T10:00:00.000000000+00:00 stdout F next\n');
    const got: string[] = [];
    const forwarder = new LogForwarder(file, async (lines) => void got.push(...lines.map((l) => l.message)), () => undefined, 0, 2);
    forwarder.start();
    await new Promise((r) => setTimeout(r, 150));
    // Read again while it may still be landing...
    expect(got).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    // ...then taken as the container's own output.
    expect(got).toEqual(['a\0b', 'next']);
    await forwarder.close();
  });

  it('waits for a record that is not yet well formed, and delivers text that never becomes one rather than losing it', async () => {
    const file = join(dir, 'garbled.log');
    const good = '2024-05-01T10:00:00.000000000+00:00 stdout F ';
    writeFileSync(file, `${good}one\n2024-05-01T10:0x garbled\n`);
    const got: string[] = [];
    const forwarder = new LogForwarder(file, async (lines) => void got.push(...lines.map((l) => l.message)), () => undefined, 0, 3);
    forwarder.start();
    await new Promise((r) => setTimeout(r, 150));
    expect(got).toEqual(['one']);
    await forwarder.close();
    expect(got).toEqual(['one', '2024-05-01T10:0x garbled']);
  });
});
