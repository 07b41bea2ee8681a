import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { connect } from 'node:net';

/** A resolver the forwarder asks: an address and its port (53 unless a test says otherwise). */
export interface Upstream {
  host: string;
  port: number;
}

/** How long one upstream may take over UDP, then over TCP, before the next is asked. */
export interface ForwardTimeouts {
  udpMs: number;
  tcpMs: number;
}

export const DEFAULT_TIMEOUTS: ForwardTimeouts = { udpMs: 2000, tcpMs: 4000 };

const TC_BIT = 0x0200;
const isTruncated = (message: Buffer): boolean => message.length >= 4 && (message.readUInt16BE(2) & TC_BIT) !== 0;

/**
 * Forwards a query (raw bytes, its id kept) to the upstreams in order until one answers: over UDP
 * first, and over TCP when the UDP answer is truncated (or when `tcp` is asked, for a client that
 * came over TCP). Returns the upstream's answer bytes, or undefined when none answered.
 */
export async function forward(query: Buffer, upstreams: readonly Upstream[], options: { tcp?: boolean; timeouts?: ForwardTimeouts } = {}): Promise<Buffer | undefined> {
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  for (const upstream of upstreams) {
    try {
      if (!options.tcp) {
        const answer = await overUdp(query, upstream, timeouts.udpMs);
        if (!isTruncated(answer)) return answer;
      }
      return await overTcp(query, upstream, timeouts.tcpMs);
    } catch {
      // This upstream did not answer in time or refused; the next one is asked.
    }
  }
  return undefined;
}

function overUdp(query: Buffer, upstream: Upstream, timeoutMs: number): Promise<Buffer> {
  const id = query.readUInt16BE(0);
  const socket = createSocket(isIPv6(upstream.host.split('%')[0]!) ? 'udp6' : 'udp4');
  return new Promise<Buffer>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
    socket.on('error', reject);
    socket.on('message', (message, from) => {
      // Only the upstream's answer to this query counts (a stray datagram is ignored).
      if (from.port !== upstream.port || message.length < 12 || message.readUInt16BE(0) !== id) return;
      clearTimeout(timer);
      resolve(message);
    });
    socket.send(query, upstream.port, upstream.host, (err) => err && reject(err));
  }).finally(() => socket.close());
}

function overTcp(query: Buffer, upstream: Upstream, timeoutMs: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const socket = connect({ host: upstream.host, port: upstream.port });
    let received = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timed out')));
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('closed before an answer')));
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2) return;
      const size = received.readUInt16BE(0);
      if (received.length < 2 + size) return;
      resolve(received.subarray(2, 2 + size));
      socket.destroy();
    });
  });
}
