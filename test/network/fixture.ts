import { afterAll, afterEach, beforeAll } from 'vitest';
import { CniNetworkManager, type CniNetworkManagerOptions } from '../../src/agent/network/cni-network-manager.js';
import { execFile } from '../../src/agent/network/exec.js';
import { removeHostFirewall } from '../../src/agent/network/host-firewall.js';
import { natSnapshot, restoreNat, type NatSnapshot } from './host-nat.js';
import { netnsList, removeBridge, removeDir, stopChildren, testNetwork } from './support.js';

/** One test file's network: its own bridge, subnet and state directory. */
export interface TestNetwork {
  bridge: string;
  subnet: string;
  stateDir: string;
  /** A new manager over this file's bridge, subnet and state directory (as after a restart). */
  manager(overrides?: Partial<CniNetworkManagerOptions>): CniNetworkManager;
  /** A task id unique to this file, e.g. `t1a2b3c-web`. */
  taskId(name: string): string;
}

/**
 * Sets up a test network for the calling file and cleans up after each test (children, every task
 * network in the state directory) and after the file (stray namespaces, the bridge's firewall
 * chain and the bridge, the state directory, the shared nat chains if this file made them), also
 * when a test failed.
 */
export function useTestNetwork(): () => TestNetwork {
  let net: TestNetwork | undefined;
  let prefix = '';
  let before: NatSnapshot | undefined;

  beforeAll(async () => {
    before = await natSnapshot();
    const t = await testNetwork();
    prefix = t.prefix;
    net = {
      bridge: t.bridge,
      subnet: t.subnet,
      stateDir: t.stateDir,
      manager: (o = {}) => new CniNetworkManager({ stateDir: t.stateDir, bridge: t.bridge, subnet: t.subnet, ...o }),
      taskId: (name) => `${t.prefix}-${name}`,
    };
  });

  afterEach(async () => {
    await stopChildren();
    if (!net) return;
    const m = net.manager();
    for (const id of await m.list()) await m.teardown(id).catch(() => undefined);
  });

  afterAll(async () => {
    if (net) {
      for (const ns of await netnsList()) {
        if (ns.startsWith(`minato-${prefix}-`)) await execFile('ip', ['netns', 'delete', ns], { timeoutMs: 10_000 });
      }
      await removeHostFirewall(net.bridge);
      await removeBridge(net.bridge);
      await removeDir(net.stateDir);
    }
    if (before) await restoreNat(before);
  });

  return () => {
    if (!net) throw new Error('the test network is set up in beforeAll');
    return net;
  };
}
