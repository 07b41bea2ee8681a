import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';
import { forward, type ForwardTimeouts, type Upstream } from './forwarder.js';
import type { DnsLookup } from './lookup.js';
import { errorResponse, fitUdp, ownResponse, Rcode, udpSizeOf } from './responses.js';

export interface DnsServerOptions {
  /** The names answered here (the private DNS namespaces' records). */
  lookup: DnsLookup;
  /** The resolvers the rest is forwarded to, asked per query (the host's resolv.conf may change). */
  upstreams: () => Promise<readonly Upstream[]>;
  timeouts?: ForwardTimeouts;
  /** Failures of the lookup (answered SERVFAIL). */
  onError?: (err: unknown) => void;
}

/** Where one listener of the server is bound. */
export interface DnsListener {
  host: string;
  port: number;
}

/** TCP connections idle this long are closed (RFC 7766 suggests seconds). */
const TCP_IDLE_MS = 10_000;

/**
 * A small DNS server for tasks: answers names of private DNS namespaces from its lookup, and
 * forwards every other question, unchanged, to the upstream resolvers. UDP and TCP on the same
 * address and port; one server may listen on several addresses (one per task bridge).
 */
export class DnsServer {
  private readonly listeners: Array<{ udp: UdpSocket; tcp: Server; address: DnsListener }> = [];
  private readonly connections = new Set<Socket>();
  private readonly attempts = new Map<string, Promise<boolean>>();

  constructor(private readonly options: DnsServerOptions) {}

  /** Binds UDP and TCP on `host`:`port` (port 0: a free one, the same for both). */
  async listen(host: string, port: number): Promise<DnsListener> {
    const tcp = createServer((socket) => this.serveTcp(socket));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, host, () => resolve());
    });
    const bound = (tcp.address() as { port: number }).port;
    const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(bound, host, () => resolve());
      });
    } catch (err) {
      await new Promise<void>((r) => tcp.close(() => r()));
      throw err;
    }
    const address = { host, port: bound };
    // A failed send or a malformed record must never take the platform down: logged, not thrown.
    const report = (err: unknown) => this.options.onError?.(err);
    udp.on('error', report);
    tcp.on('error', report);
    udp.on('message', (message, from) => {
      this.answer(message, false, address).then((reply) => {
        if (reply) udp.send(reply, from.port, from.address, (err) => err && report(err));
      }, report);
    });
    this.listeners.push({ udp, tcp, address });
    return address;
  }

  /**
   * Listens on `host`:`port` unless it already does; tells whether it listens (false when the
   * address is not there yet or the port is taken — a later call tries again).
   */
  async ensureListening(host: string, port: number): Promise<boolean> {
    const key = `${host}:${port}`;
    let attempt = this.attempts.get(key);
    if (!attempt) {
      attempt = this.listen(host, port).then(
        () => true,
        (err: unknown) => {
          this.attempts.delete(key);
          this.options.onError?.(err);
          return false;
        },
      );
      this.attempts.set(key, attempt);
    }
    return attempt;
  }

  /** Stops every listener and closes open TCP connections. */
  async close(): Promise<void> {
    for (const c of this.connections) c.destroy();
    this.attempts.clear();
    const listeners = this.listeners.splice(0);
    await Promise.all(
      listeners.map(async ({ udp, tcp }) => {
        await new Promise<void>((r) => udp.close(() => r()));
        await new Promise<void>((r) => tcp.close(() => r()));
      }),
    );
  }

  private serveTcp(socket: Socket): void {
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    const local = { host: socket.localAddress ?? '', port: socket.localPort ?? 0 };
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + message.length);
        this.answer(Buffer.from(message), true, local).then((reply) => {
          if (!reply || socket.destroyed) return;
          const length = Buffer.alloc(2);
          length.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([length, reply]));
        }, (err: unknown) => {
          this.options.onError?.(err);
          socket.destroy();
        });
      }
    });
  }

  /** The reply to one message, or undefined when it is not a query worth answering. */
  private async answer(message: Buffer, viaTcp: boolean, self: DnsListener): Promise<Buffer | undefined> {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return undefined;
    }
    if (query.type !== 'query') return undefined;
    const question = query.questions?.[0];
    if ((query as { opcode?: string }).opcode !== 'QUERY') return dnsPacket.encode(errorResponse(query, Rcode.NotImp));
    if (!question || query.questions!.length !== 1) return dnsPacket.encode(errorResponse(query, Rcode.FormErr));
    let result;
    try {
      result = await this.options.lookup(question.name.replace(/\.$/, ''), question.type);
    } catch (err) {
      this.options.onError?.(err);
      return dnsPacket.encode(errorResponse(query, Rcode.ServFail));
    }
    const size = udpSizeOf(query);
    if (result.kind !== 'not-ours') {
      try {
        const response = ownResponse(query, result);
        return viaTcp ? dnsPacket.encode(response) : fitUdp(response, (p) => dnsPacket.encode(p), size);
      } catch (err) {
        // A record that cannot be encoded (a label over 63 bytes, say) fails this answer only.
        this.options.onError?.(err);
        return dnsPacket.encode(errorResponse(query, Rcode.ServFail));
      }
    }
    // Never forward to this server itself: a resolv.conf naming it would loop.
    const upstreams = (await this.options.upstreams()).filter((u) => !(u.host === self.host && u.port === self.port));
    const forwarded = await forward(message, upstreams, { tcp: viaTcp, ...(this.options.timeouts && { timeouts: this.options.timeouts }) });
    if (!forwarded) return dnsPacket.encode(errorResponse(query, Rcode.ServFail));
    if (viaTcp || forwarded.length <= size) return forwarded;
    // A TCP answer too large for the client's UDP size: truncated, so the client retries over TCP.
    return fitUdp(dnsPacket.decode(forwarded), (p) => dnsPacket.encode(p), size);
  }
}
