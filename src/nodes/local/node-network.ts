/**
 * The Linux network pieces of local nodes: one bridge with the node subnet's first address as
 * gateway, and per node a network namespace joined to it by a veth pair. Names carry a short tag
 * so that several platforms (and test runs) on one machine never share them.
 */
import { execFileSync } from 'node:child_process';

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Runs a removal that may find the thing gone already. */
export function quietly(f: () => unknown): void {
  try {
    f();
  } catch {
    // already gone
  }
}

/** Whether a network link of this name exists (in this namespace). */
export function linkExists(name: string): boolean {
  try {
    ip('link', 'show', name);
    return true;
  } catch {
    return false;
  }
}

/** The node subnet's addresses: `a.b.c.0/24` → gateway `a.b.c.1`, node k at `a.b.c.(10+k)`. */
export function subnetAddresses(subnet: string): { gateway: string; node(k: number): string } {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/.exec(subnet);
  if (!m || [m[1], m[2], m[3]].some((x) => Number(x) > 255)) throw new Error(`the node subnet must be a /24 such as 10.218.0.0/24, got "${subnet}"`);
  const base = `${m[1]}.${m[2]}.${m[3]}`;
  return {
    gateway: `${base}.1`,
    node: (k) => {
      if (k < 0 || k > 240) throw new Error(`no address left in ${subnet} for node ${k}`);
      return `${base}.${10 + k}`;
    },
  };
}

/** Creates the bridge (if missing) with the gateway address, up. */
export function ensureBridge(bridge: string, gateway: string): void {
  if (!linkExists(bridge)) ip('link', 'add', bridge, 'type', 'bridge');
  quietly(() => ip('addr', 'add', `${gateway}/24`, 'dev', bridge));
  ip('link', 'set', bridge, 'up');
}

/** A namespace with `eth0` (the veth's peer) at `address`, `lo` up and a default route via the gateway. */
export function addNodeNamespace(netns: string, veth: string, bridge: string, address: string, gateway: string): void {
  ip('netns', 'add', netns);
  try {
    ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', `${veth}p`);
    ip('link', 'set', `${veth}p`, 'netns', netns);
    ip('link', 'set', veth, 'master', bridge);
    ip('link', 'set', veth, 'up');
    ip('-n', netns, 'link', 'set', `${veth}p`, 'name', 'eth0');
    ip('-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
    ip('-n', netns, 'link', 'set', 'eth0', 'up');
    ip('-n', netns, 'link', 'set', 'lo', 'up');
    ip('-n', netns, 'route', 'add', 'default', 'via', gateway);
  } catch (err) {
    removeNodeNamespace(netns, veth);
    throw err;
  }
}

/** Removes a node's namespace and veth (deleting the namespace removes its end of the pair too). */
export function removeNodeNamespace(netns: string, veth: string): void {
  quietly(() => ip('netns', 'delete', netns));
  quietly(() => ip('link', 'del', veth));
}

/** Removes the bridge. */
export function removeBridge(bridge: string): void {
  quietly(() => ip('link', 'del', bridge));
}
