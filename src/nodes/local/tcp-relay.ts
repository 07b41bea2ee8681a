/**
 * A plain TCP relay: the control plane listens on loopback, which node namespaces cannot reach,
 * so the node provider listens on the node bridge's gateway address (reachable from the node
 * namespaces only) and forwards each connection to the front door.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A listening relay. */
export interface TcpRelay {
  readonly port: number;
  /** Whether a connection to the target from this local port is one the relay opened. */
  opened(localPort: number): boolean;
  close(): Promise<void>;
}

/** Listens on `host:port` (0: any free port) and pipes every connection to `target()`. */
export async function startRelay(host: string, port: number, target: () => { host: string; port: number }): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  const outboundPorts = new Set<number>();
  const server: Server = createServer((inbound) => {
    const { host: th, port: tp } = target();
    const outbound = createConnection({ host: th, port: tp });
    // Known before any byte is relayed: writes wait for 'connect', whose listeners run in order.
    outbound.once('connect', () => {
      const localPort = outbound.localPort;
      if (localPort === undefined) return;
      outboundPorts.add(localPort);
      outbound.once('close', () => outboundPorts.delete(localPort));
    });
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      // A reset on one side ends both; errors are the peers' business, not the platform's.
      s.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    opened: (localPort) => outboundPorts.has(localPort),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
