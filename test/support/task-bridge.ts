/** A platform's task network on the host, apart from the vitest hooks of platform.ts so that plain scripts (the benchmarks) can use it. */
import { execFile } from '../../src/agent/network/exec.js';
import { removeHostFirewall } from '../../src/agent/network/host-firewall.js';

/**
 * Removes what a platform's task network left on the host once its tasks are gone: the bridge's
 * firewall chain (minato keeps it while stopped, as its tasks outlive it) and the bridge.
 */
export async function removeTaskBridge(bridge: string): Promise<void> {
  await removeHostFirewall(bridge);
  // A bridge no task ever made is not there.
  await execFile('ip', ['link', 'del', bridge], { timeoutMs: 10_000 });
}
