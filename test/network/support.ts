/**
 * Helpers for the task network tests: servers and clients inside network namespaces (Node children
 * started with `ip netns exec`), looks at what the host has (namespaces, bridge ports, leases,
 * iptables), and the clean-up of what a test file made. Traffic goes only to loopback and to
 * addresses inside namespaces the tests created.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execChecked, execFile } from '../../src/agent/network/exec.js';
import { formatSubnet, parseSubnet, subnetContains, type Ipv4Subnet } from '../../src/agent/network/ipv4.js';

/**
 * A bridge name and subnet of their own for one test file, so files and a running minato do not
 * collide: a random /24 in 10.200.0.0–10.254.255.0 that no route of the host overlaps.
 */
export async function testNetwork(): Promise<{ bridge: string; subnet: string; stateDir: string; prefix: string }> {
  const routes = (await execChecked('ip', ['-4', '-o', 'route', 'show']))
    .split('\n')
    .map((l) => parseSubnet(l.split(' ')[0] ?? '') ?? parseSubnet(`${l.split(' ')[0] ?? ''}/32`))
    .filter((r): r is Ipv4Subnet => r !== undefined);
  for (let i = 0; i < 50; i++) {
    const candidate = parseSubnet(`10.${200 + Math.floor(Math.random() * 55)}.${Math.floor(Math.random() * 256)}.0/24`)!;
    const overlaps = routes.some((r) => subnetContains(r, candidate.network) || subnetContains(candidate, r.network));
    if (overlaps) continue;
    const tag = randomBytes(3).toString('hex');
    return {
      bridge: `mt${tag}`,
      subnet: formatSubnet(candidate),
      stateDir: await mkdtemp(join(tmpdir(), 'minato-net-test-')),
      prefix: `t${tag}`,
    };
  }
  throw new Error('no free test subnet in 10.200.0.0-10.254.255.255');
}

/** Names of the network namespaces on the host. */
export async function netnsList(): Promise<string[]> {
  const out = await execChecked('ip', ['netns', 'list']);
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter(Boolean);
}

/** The interfaces attached to a bridge (none when the bridge does not exist). */
export async function bridgePorts(bridge: string): Promise<string[]> {
  const r = await execFile('ip', ['-o', 'link', 'show', 'master', bridge], { timeoutMs: 10_000 });
  if (r.code !== 0) return [];
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => (l.split(': ')[1] ?? '').split('@')[0] ?? '');
}

/** The links inside a namespace: name → whether it is up. */
export async function linksIn(ns: string): Promise<Map<string, { up: boolean; mac: string }>> {
  const out = await execChecked('ip', ['-n', ns, '-o', 'link', 'show']);
  const links = new Map<string, { up: boolean; mac: string }>();
  for (const line of out.split('\n').filter(Boolean)) {
    const name = (line.split(': ')[1] ?? '').split('@')[0] ?? '';
    const flags = /<([^>]*)>/.exec(line)?.[1]?.split(',') ?? [];
    links.set(name, { up: flags.includes('UP'), mac: /link\/\S+ ([0-9a-f:]{17})/.exec(line)?.[1] ?? '' });
  }
  return links;
}

/** The address files host-local keeps under the state directory (its leases). */
export async function leaseFiles(stateDir: string, networkName: string): Promise<string[]> {
  const dir = join(stateDir, 'ipam', networkName);
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f));
}

/** The lines of every iptables table (IPv4 and IPv6) that mention `text`. */
export async function iptablesLinesWith(text: string): Promise<string[]> {
  const lines: string[] = [];
  for (const tool of ['iptables-save', 'ip6tables-save']) {
    const out = await execChecked(tool, []);
    lines.push(...out.split('\n').filter((l) => l.includes(text)));
  }
  return lines;
}

/** Child processes started by a test, ended by pid in clean-up. */
const children = new Set<ChildProcess>();

/** Ends every child a test started and waits for each to exit. */
export async function stopChildren(): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((resolve) => {
          children.delete(c);
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          if (c.pid !== undefined) process.kill(c.pid, 'SIGKILL');
        }),
    ),
  );
}

/** Runs a Node script inside a namespace; resolves once it prints its first line (e.g. "ready"). */
async function nodeIn(ns: string, script: string): Promise<{ child: ChildProcess; firstLine: string; output: Promise<string> }> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const output = new Promise<string>((resolve) => child.once('close', () => resolve(out)));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no output from the child in ${ns}: ${err}`)), 10_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`the child in ${ns} exited (${code}) before printing: ${err}`));
    });
  });
  return { child, firstLine, output };
}

/** A TCP server in the namespace that answers each connection with `reply` and the peer address. */
export async function tcpServerIn(ns: string, port: number, reply: string): Promise<void> {
  const script = `require('node:net').createServer((s) => s.end(${JSON.stringify(reply)} + ' to ' + s.remoteAddress))
    .listen(${port}, '0.0.0.0', () => console.log('ready'));`;
  await nodeIn(ns, script);
}

/** A UDP server in the namespace that answers each datagram with `reply`. */
export async function udpServerIn(ns: string, port: number, reply: string): Promise<void> {
  const script = `const s = require('node:dgram').createSocket('udp4');
    s.on('message', (m, r) => s.send(${JSON.stringify(reply)} + ' ' + m, r.port, r.address));
    s.bind(${port}, '0.0.0.0', () => console.log('ready'));`;
  await nodeIn(ns, script);
}

/** Connects from this host and returns everything the server sent. */
export function tcpRequest(host: string, port: number, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.on('data', (b: Buffer) => (data += b.toString()));
    socket.on('end', () => resolve(data));
    socket.on('timeout', () => socket.destroy(new Error(`no answer from ${host}:${port}`)));
    socket.on('error', reject);
  });
}

/** Sends one datagram from this host and returns the first answer. */
export function udpRequest(host: string, port: number, text: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP answer from ${host}:${port}`));
    }, timeoutMs);
    socket.on('message', (m) => {
      clearTimeout(timer);
      socket.close();
      resolve(m.toString());
    });
    socket.send(text, port, host);
  });
}

/** Connects from inside namespace `ns` and returns what the server sent. */
export async function tcpRequestFrom(ns: string, host: string, port: number): Promise<string> {
  const script = `const s = require('node:net').connect(${port}, ${JSON.stringify(host)});
    let d = ''; s.setTimeout(5000, () => { console.log('timeout'); process.exit(1); });
    s.on('data', (b) => (d += b)); s.on('end', () => console.log(d)); s.on('error', (e) => console.log('error ' + e.message));`;
  const { firstLine } = await nodeIn(ns, script);
  return firstLine;
}

/** Sends one datagram from inside namespace `ns`; returns the answer, `error <message>` or `timeout`. */
export async function udpRequestFrom(ns: string, host: string, port: number, text: string): Promise<string> {
  const script = `const s = require('node:dgram').createSocket('udp4');
    setTimeout(() => { console.log('timeout'); process.exit(1); }, 3000);
    s.on('message', (m) => { console.log(String(m)); process.exit(0); });
    s.on('error', (e) => { console.log('error ' + e.message); process.exit(1); });
    s.connect(${port}, ${JSON.stringify(host)}, () => s.send(${JSON.stringify(text)}));`;
  const { firstLine } = await nodeIn(ns, script);
  return firstLine;
}

/** Removes a bridge the tests created (its ports have gone with their namespaces). */
export async function removeBridge(bridge: string): Promise<void> {
  const r = await execFile('ip', ['link', 'show', bridge], { timeoutMs: 10_000 });
  if (r.code === 0) await execChecked('ip', ['link', 'delete', bridge]);
}

/** Removes a state directory. */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
