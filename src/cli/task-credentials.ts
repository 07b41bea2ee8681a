import { readFileSync, writeFileSync } from 'node:fs';
import type { RoleCredentials, TaskRoleCredentialSource } from '../agent-contract/ports.js';
import type { SecurityTokens } from '../iam/sts/security-tokens.js';
import { startRelay, type TcpRelay } from '../nodes/local/tcp-relay.js';
import { isLoopback } from './config.js';

/** Tasks' role credentials from the platform's STS (what the credentials endpoint hands out). */
export function taskRoleCredentials(tokens: SecurityTokens): TaskRoleCredentialSource {
  return async ({ accountId, roleArn, taskId }) => {
    const got = await tokens.forTask(accountId, roleArn, taskId, new Date());
    if (!got.ok) return got;
    const c = got.credentials;
    const credentials: RoleCredentials = {
      RoleArn: roleArn,
      AccessKeyId: c.accessKeyId,
      SecretAccessKey: c.secretAccessKey,
      Token: c.sessionToken,
      Expiration: new Date(c.expiration).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    return { ok: true, credentials };
  };
}

/**
 * The platform's endpoint as tasks reach it (their AWS_ENDPOINT_URL). When it listens on every
 * address, it is named by the gateway address (the host firewall opens its port); on another
 * address, by that address; when it listens on loopback only, a TCP relay on the gateway address
 * forwards to it, and the gateway port is opened. The relay's port is kept in `portFile` and taken
 * again after a restart (else the endpoint's own port, else any), so that the AWS_ENDPOINT_URL of
 * tasks that outlive minato keeps answering.
 */
export class TaskEndpoints {
  private readonly relays = new Map<string, Promise<TcpRelay>>();
  private readonly settled = new Map<string, TcpRelay>();

  constructor(
    private readonly target: () => Promise<{ host: string; port: number }>,
    private readonly allowGatewayPort: (port: number) => Promise<void>,
    private readonly portFile?: string,
  ) {}

  async urlFor(gateway: string): Promise<string> {
    const { host, port } = await this.target();
    // Listening on every address: the gateway's is one. On another address: that one, routed to.
    if (host === '0.0.0.0' || host === '::') return `http://${gateway}:${port}`;
    if (!isLoopback(host)) return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    let relay = this.relays.get(gateway);
    if (!relay) {
      relay = this.listen(gateway, host, port);
      this.relays.set(gateway, relay);
      relay.then((r) => this.settled.set(gateway, r)).catch(() => this.relays.delete(gateway));
    }
    return `http://${gateway}:${(await relay).port}`;
  }

  /** Whether a connection from `peer` to the front door came through one of the relays (from a task). */
  relayed(peer: { address: string; port: number }): boolean {
    if (!isLoopback(peer.address.replace(/^::ffff:/, ''))) return false;
    return [...this.settled.values()].some((relay) => relay.opened(peer.port));
  }

  async close(): Promise<void> {
    const relays = await Promise.allSettled(this.relays.values());
    this.relays.clear();
    this.settled.clear();
    await Promise.all(relays.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
  }

  private async listen(gateway: string, host: string, port: number): Promise<TcpRelay> {
    const to = () => ({ host, port });
    const saved = this.savedPort();
    const relay = await startRelay(gateway, saved ?? port, to)
      .catch(() => (saved !== undefined ? startRelay(gateway, port, to) : Promise.reject(new Error('taken'))))
      .catch(() => startRelay(gateway, 0, to));
    if (this.portFile && relay.port !== saved) writeFileSync(this.portFile, `${relay.port}\n`, { mode: 0o600 });
    await this.allowGatewayPort(relay.port);
    return relay;
  }

  private savedPort(): number | undefined {
    if (!this.portFile) return undefined;
    try {
      const port = Number(readFileSync(this.portFile, 'utf8').trim());
      return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
    } catch {
      return undefined;
    }
  }
}
