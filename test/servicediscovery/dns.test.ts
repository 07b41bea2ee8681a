import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { connect, createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand,
  GetOperationCommand,
  RegisterInstanceCommand,
  UpdateInstanceCustomHealthStatusCommand,
} from '@aws-sdk/client-servicediscovery';
import * as dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsServer } from '../../src/dns/dns-server.js';
import { resolvConfUpstreams } from '../../src/dns/resolv-conf.js';
import { startDiscoveryFixture, type DiscoveryFixture } from './fixture.js';

/**
 * The task DNS server over real sockets on loopback: names of private DNS namespaces answered
 * from Cloud Map's records, everything else forwarded to a stand-in upstream resolver (also on
 * loopback) that a resolv.conf names.
 */

/** A stand-in upstream: `outside.test` has an A record; `big.test` truncates over UDP and answers in full over TCP. */
async function startUpstream(): Promise<{ port: number; udpQueries: string[]; close(): Promise<void> }> {
  const answer = (query: dnsPacket.DecodedPacket, tcp: boolean): Buffer => {
    const q = query.questions![0]!;
    const many = q.name === 'big.test' ? Array.from({ length: 40 }, (_, i) => `192.0.2.${i + 1}`) : q.name === 'outside.test' ? ['192.0.2.7'] : [];
    const truncated = !tcp && many.length > 20;
    return dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) | dnsPacket.RECURSION_AVAILABLE | (many.length === 0 ? 3 : 0),
      questions: query.questions,
      answers: truncated ? [] : many.map((a) => ({ type: 'A' as const, name: q.name, ttl: 60, data: a })),
    });
  };
  const udpQueries: string[] = [];
  const tcp = createServer((socket) => {
    socket.on('data', (data) => {
      const reply = answer(dnsPacket.decode(data.subarray(2)), true);
      const len = Buffer.alloc(2);
      len.writeUInt16BE(reply.length);
      socket.end(Buffer.concat([len, reply]));
    });
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
  const port = (tcp.address() as { port: number }).port;
  const udp = createSocket('udp4');
  await new Promise<void>((r) => udp.bind(port, '127.0.0.1', () => r()));
  udp.on('message', (msg, from) => {
    const query = dnsPacket.decode(msg);
    udpQueries.push(query.questions![0]!.name);
    udp.send(answer(query, false), from.port, from.address);
  });
  return {
    port,
    udpQueries,
    close: async () => {
      await new Promise<void>((r) => udp.close(() => r()));
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}

let fx: DiscoveryFixture;
let upstream: Awaited<ReturnType<typeof startUpstream>>;
let server: DnsServer;
let resolver: Resolver;
let confDir: string;
let customServiceId: string;

beforeAll(async () => {
  fx = await startDiscoveryFixture();
  upstream = await startUpstream();
  confDir = mkdtempSync(join(tmpdir(), 'minato-dns-'));
  writeFileSync(join(confDir, 'resolv.conf'), 'search example\nnameserver 127.0.0.1\noptions ndots:1\n');
  server = new DnsServer({
    lookup: (name, type) => fx.discovery.dns.lookup(name, type),
    upstreams: resolvConfUpstreams(join(confDir, 'resolv.conf'), upstream.port),
  });
  const { port } = await server.listen('127.0.0.1', 0);
  resolver = new Resolver({ timeout: 5000, tries: 2 });
  resolver.setServers([`127.0.0.1:${port}`]);

  const sd = fx.client();
  const { OperationId } = await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'apps.local', Vpc: 'vpc-0123456789abcdef0' }));
  const ns = (await sd.send(new GetOperationCommand({ OperationId }))).Operation!.Targets!.NAMESPACE!;
  const web = await sd.send(
    new CreateServiceCommand({
      Name: 'web',
      NamespaceId: ns,
      DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 7 }, { Type: 'SRV', TTL: 9 }] },
      HealthCheckCustomConfig: {},
    }),
  );
  customServiceId = web.Service!.Id!;
  for (let i = 1; i <= 10; i++) {
    await sd.send(new RegisterInstanceCommand({ ServiceId: customServiceId, InstanceId: `task${i}`, Attributes: { AWS_INSTANCE_IPV4: `10.9.0.${i}`, AWS_INSTANCE_PORT: String(8000 + i) } }));
  }
  await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: customServiceId, InstanceId: 'task10', Status: 'UNHEALTHY' }));
  await sd.send(new CreateServiceCommand({ Name: 'empty', NamespaceId: ns, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 7 }] } }));
});

afterAll(async () => {
  await server?.close();
  await upstream?.close();
  await fx?.close();
  if (confDir) rmSync(confDir, { recursive: true, force: true });
});

describe('the task DNS server', () => {
  it('answers A for a service with up to eight healthy instances and the TTL of its DnsConfig', async () => {
    const answers = await resolver.resolve4('web.apps.local', { ttl: true });
    expect(answers).toHaveLength(8);
    for (const a of answers) {
      expect(a.ttl).toBe(7);
      expect(a.address).toMatch(/^10\.9\.0\.[1-9]$/);
    }
    expect(new Set(answers.map((a) => a.address)).size).toBe(8);
  });

  it("answers SRV with Cloud Map's instance targets, and A for each target", async () => {
    const srv = await resolver.resolveSrv('web.apps.local');
    expect(srv).toHaveLength(8);
    // Eight of the nine healthy instances, picked at random: each target names its instance.
    for (const r of srv) {
      const n = /^task([1-9])\.web\.apps\.local$/.exec(r.name)?.[1];
      expect(n, r.name).toBeDefined();
      expect(r).toMatchObject({ port: 8000 + Number(n), priority: 1, weight: 1 });
    }
    expect(await resolver.resolve4('task3.web.apps.local')).toEqual(['10.9.0.3']);
  });

  it('answers NXDOMAIN for unknown names inside a namespace and for a service without instances', async () => {
    await expect(resolver.resolve4('nothing.apps.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve4('empty.apps.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve4('task99.web.apps.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    // An existing name with no record of the asked type: no data, not NXDOMAIN.
    await expect(resolver.resolve6('web.apps.local')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('forwards other names to the resolv.conf upstream, over TCP when the UDP answer is truncated', async () => {
    expect(await resolver.resolve4('outside.test')).toEqual(['192.0.2.7']);
    expect(upstream.udpQueries).toContain('outside.test');
    // Over UDP the client gets a truncated answer and asks again over TCP, as the server did upstream.
    const big = await resolver.resolve4('big.test');
    expect(big).toHaveLength(40);
    await expect(resolver.resolve4('unknown.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('answers over TCP as over UDP', async () => {
    const port = Number(resolver.getServers()[0]!.split(':')[1]);
    const query = dnsPacket.encode({ type: 'query', id: 42, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'task1.web.apps.local' }] });
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const socket = createConnection(port, resolve, reject);
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      socket.write(Buffer.concat([len, query]));
    });
    const decoded = dnsPacket.decode(reply);
    expect(decoded.id).toBe(42);
    expect(decoded.flag_aa).toBe(true);
    expect(decoded.answers).toEqual([expect.objectContaining({ type: 'A', name: 'task1.web.apps.local', ttl: 7, data: '10.9.0.1' })]);
  });
});

function createConnection(port: number, resolve: (b: Buffer) => void, reject: (e: Error) => void) {
  const socket = connect({ host: '127.0.0.1', port });
  let got = Buffer.alloc(0);
  socket.on('error', reject);
  socket.on('data', (d) => {
    got = Buffer.concat([got, d]);
    if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
      resolve(got.subarray(2, 2 + got.readUInt16BE(0)));
      socket.destroy();
    }
  });
  return socket;
}
