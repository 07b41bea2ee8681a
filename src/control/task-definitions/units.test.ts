import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorKind } from '../../lib/errors.js';
import { normalizeTaskCpu, normalizeTaskMemory } from './rules.js';

describe('normalizeTaskCpu', () => {
  it.each([
    ['1024', 1024],
    [' 256 ', 256],
    ['1 vCPU', 1024],
    ['1 vcpu', 1024],
    ['0.25 vCPU', 256],
    ['.5vCPU', 512],
    ['2 vcpus', 2048],
  ])('reads %j as %i units', (text, units) => expect(normalizeTaskCpu(text)).toBe(units));

  it.each(['', '0', '-1', '1.5', '0.0001 vCPU', 'vCPU', '1 cpu', '1e3'])('rejects %j', (text) =>
    expect(() => normalizeTaskCpu(text)).toThrow(
      expect.objectContaining({ kind: ErrorKind.InvalidArgument, subject: 'request', message: "Invalid 'cpu' setting for task." }),
    ),
  );

  it('reads every whole number of units back as itself', () =>
    fc.assert(fc.property(fc.integer({ min: 1, max: 1 << 30 }), (n) => normalizeTaskCpu(String(n)) === n)));
});

describe('normalizeTaskMemory', () => {
  it.each([
    ['2048', 2048],
    ['2 GB', 2048],
    ['2GB', 2048],
    ['0.5 gb', 512],
  ])('reads %j as %i MiB', (text, mib) => expect(normalizeTaskMemory(text)).toBe(mib));

  it.each(['', '0', '1.5', '2 TB', '2 MB', '0.0001 GB'])('rejects %j', (text) =>
    expect(() => normalizeTaskMemory(text)).toThrow(
      expect.objectContaining({ subject: 'request', message: "Invalid 'memory' setting for task." }),
    ),
  );

  it('reads n GB as n × 1024 MiB', () =>
    fc.assert(fc.property(fc.integer({ min: 1, max: 1 << 20 }), (n) => normalizeTaskMemory(`${n} GB`) === n * 1024)));
});
