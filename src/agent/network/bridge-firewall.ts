import { checkHostPort } from './cni-network-checks.js';
import { installHostFirewall, removeHostFirewall, type HostFirewallSettings } from './host-firewall.js';
import { KeyedMutex } from './keyed-mutex.js';

/** What a bridge's firewall is made from besides the ports learnt at run time. */
export type BridgeFirewallBase = Pick<HostFirewallSettings, 'bridge' | 'gateway' | 'masqueradeSubnet' | 'admitFrom'>;

/**
 * A task bridge's firewall and the ports it opens: those given at start and those known only once
 * their servers listen (the endpoint's, the metadata endpoint's, the credentials redirect). Each
 * change installs the whole rule set anew, one change at a time.
 */
export class BridgeFirewall {
  private readonly hostTcpPorts: Set<number>;
  private readonly gatewayTcpPorts = new Set<number>();
  private credentialsPort: number | undefined;
  private installed = false;
  private readonly lock = new KeyedMutex();

  constructor(
    private readonly base: BridgeFirewallBase,
    hostTcpPorts: readonly number[] = [],
  ) {
    for (const p of hostTcpPorts) checkHostPort(p);
    this.hostTcpPorts = new Set(hostTcpPorts);
  }

  /** Lets tasks reach a TCP port of this host on any of its addresses; installed anew, so a restart with another port replaces the previous run's. */
  async allowHostTcpPort(port: number): Promise<void> {
    checkHostPort(port);
    this.hostTcpPorts.add(port);
    await this.install();
  }

  /** Lets tasks reach a TCP port on the gateway address only. */
  async allowGatewayTcpPort(port: number): Promise<void> {
    checkHostPort(port);
    if (this.gatewayTcpPorts.has(port) && this.installed) return;
    this.gatewayTcpPorts.add(port);
    await this.install();
  }

  /** Redirects tasks' requests to 169.254.170.2:80 to `port` on the gateway, and lets them reach it. */
  async serveCredentialsAt(port: number): Promise<void> {
    checkHostPort(port);
    if (this.credentialsPort === port && this.gatewayTcpPorts.has(port) && this.installed) return;
    this.credentialsPort = port;
    this.gatewayTcpPorts.add(port);
    await this.install();
  }

  /** Installs the whole rule set as it stands. */
  install(): Promise<void> {
    return this.lock.run('firewall', async () => {
      await installHostFirewall({
        ...this.base,
        tcpPorts: [...this.hostTcpPorts],
        gatewayTcpPorts: [...this.gatewayTcpPorts],
        ...(this.credentialsPort !== undefined && { credentialsPort: this.credentialsPort }),
      });
      this.installed = true;
    });
  }

  /** Removes the bridge's rules. */
  remove(): Promise<void> {
    return this.lock.run('firewall', async () => {
      await removeHostFirewall(this.base.bridge);
      this.installed = false;
    });
  }
}
