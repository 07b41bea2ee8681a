import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CniRuntime, executionConfig } from './cni-runtime.js';
import type { CniNetworkConfigList } from './cni-types.js';

// A stand-in plugin in Node: logs each call (type, command, configuration) as a JSON line and, on
// ADD, returns the previous result with an interface of its own name appended.
const plugin = (log: string) => `#!${process.execPath}
const fs = require('node:fs');
const config = JSON.parse(fs.readFileSync(0, 'utf8') || '{}');
const started = Date.now();
if (config.sleepMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, config.sleepMs);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ type: config.type, command: process.env.CNI_COMMAND, config, started, ended: Date.now() }) + '\\n');
if (process.env.CNI_COMMAND === 'VERSION') process.stdout.write(JSON.stringify({ cniVersion: config.cniVersion, supportedVersions: ['1.0.0'] }));
if (process.env.CNI_COMMAND === 'ADD') {
  const prev = config.prevResult || { cniVersion: config.cniVersion, interfaces: [] };
  process.stdout.write(JSON.stringify({ ...prev, interfaces: [...prev.interfaces, { name: config.type }] }));
}
`;

let dir: string;
let log: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'minato-cni-runtime-'));
  log = join(dir, 'calls.log');
  for (const name of ['first', 'second', 'slow']) {
    await writeFile(join(dir, name), plugin(log));
    await chmod(join(dir, name), 0o755);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await writeFile(log, '');
});

interface Call {
  type: string;
  command: string;
  config: Record<string, unknown>;
  started: number;
  ended: number;
}
const calls = async (): Promise<Call[]> =>
  (await readFile(log, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Call);

const list: CniNetworkConfigList = {
  cniVersion: '1.0.0',
  name: 'net',
  plugins: [
    { type: 'first', capabilities: { portMappings: true, mac: true }, option: 1 },
    { type: 'second', capabilities: { bandwidth: true } },
  ],
};
const attachment = { containerId: 'c1', netns: '/var/run/netns/x', ifName: 'eth0' };
const args = { portMappings: [{ hostPort: 1, containerPort: 2, protocol: 'tcp' }], ips: ['10.0.0.9'] };

describe('executionConfig', () => {
  it('inserts version and name, derives runtimeConfig from declared capabilities, drops capabilities', () => {
    const prev = { cniVersion: '1.0.0', interfaces: [] };
    expect(executionConfig(list, list.plugins[0]!, args, prev)).toEqual({
      type: 'first',
      option: 1,
      cniVersion: '1.0.0',
      name: 'net',
      runtimeConfig: { portMappings: args.portMappings },
      prevResult: prev,
    });
    expect(executionConfig(list, list.plugins[1]!, args, undefined)).toEqual({ type: 'second', cniVersion: '1.0.0', name: 'net' });
  });
});

describe('CniRuntime', () => {
  const runtime = () => new CniRuntime({ cniPath: dir, timeoutMs: 10_000 });

  it('adds in order, chaining each result into the next plugin', async () => {
    const result = await runtime().add(list, attachment, args);
    expect(result.interfaces).toEqual([{ name: 'first' }, { name: 'second' }]);
    const [a, b] = await calls();
    expect([a?.type, a?.command, b?.type, b?.command]).toEqual(['first', 'ADD', 'second', 'ADD']);
    expect(a?.config.prevResult).toBeUndefined();
    expect(a?.config.runtimeConfig).toEqual({ portMappings: args.portMappings });
    expect(b?.config.prevResult).toEqual({ cniVersion: '1.0.0', interfaces: [{ name: 'first' }] });
  });

  it('deletes in reverse order, each plugin given the final result of the add', async () => {
    const final = { cniVersion: '1.0.0', interfaces: [{ name: 'first' }, { name: 'second' }] };
    await runtime().del(list, attachment, args, final);
    const seen = await calls();
    expect(seen.map((c) => `${c.type} ${c.command}`)).toEqual(['second DEL', 'first DEL']);
    expect(seen.map((c) => c.config.prevResult)).toEqual([final, final]);
    await writeFile(log, '');
    await runtime().del(list, attachment, args);
    expect((await calls()).map((c) => c.config.prevResult)).toEqual([undefined, undefined]);
  });

  it('checks in order with the final result, unless the list disables checks', async () => {
    const final = { cniVersion: '1.0.0', interfaces: [] };
    await runtime().check(list, attachment, args, final);
    expect((await calls()).map((c) => `${c.type} ${c.command}`)).toEqual(['first CHECK', 'second CHECK']);
    await writeFile(log, '');
    await runtime().check({ ...list, disableCheck: true }, attachment, args, final);
    expect(await calls()).toEqual([]);
  });

  it('reads the versions a plugin supports', async () => {
    expect(await runtime().supportedVersions('first', '1.0.0')).toEqual(['1.0.0']);
  });

  it('runs an exclusive plugin one invocation at a time, and others concurrently', async () => {
    const slow: CniNetworkConfigList = { cniVersion: '1.0.0', name: 'net', plugins: [{ type: 'slow', sleepMs: 300 }] };
    const overlaps = async (r: CniRuntime): Promise<boolean> => {
      await writeFile(log, '');
      await Promise.all([r.add(slow, { ...attachment, containerId: 'a' }, {}), r.add(slow, { ...attachment, containerId: 'b' }, {})]);
      const [x, y] = (await calls()).sort((p, q) => p.started - q.started);
      return y!.started < x!.ended;
    };
    expect(await overlaps(new CniRuntime({ cniPath: dir, timeoutMs: 10_000, exclusive: ['slow'] }))).toBe(false);
    expect(await overlaps(runtime())).toBe(true);
  });
});
