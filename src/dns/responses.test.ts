import * as dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { nameserversOf } from './resolv-conf.js';
import { CLASSIC_UDP_SIZE, fitUdp, ownResponse, Rcode, udpSizeOf } from './responses.js';

const query = (name: string, type: 'A' | 'SRV' = 'A', extra: Partial<dnsPacket.Packet> = {}) =>
  dnsPacket.decode(dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }], ...extra }));

describe('own responses', () => {
  it('answers authoritatively with the records, keeping id, question and RD', () => {
    const response = dnsPacket.decode(
      dnsPacket.encode(ownResponse(query('web.corp.local'), { kind: 'answer', answers: [{ type: 'A', name: 'web.corp.local', ttl: 5, address: '10.0.0.1' }], additionals: [] })),
    );
    expect(response).toMatchObject({ id: 7, type: 'response', flag_aa: true, flag_rd: true, flag_ra: true, questions: [{ name: 'web.corp.local', type: 'A' }] });
    expect(response.answers).toEqual([expect.objectContaining({ type: 'A', name: 'web.corp.local', ttl: 5, data: '10.0.0.1' })]);
    expect((response as { rcode?: string }).rcode).toBe('NOERROR');
  });

  it('says NXDOMAIN with the zone SOA, whose TTL bounds negative caching', () => {
    const response = dnsPacket.decode(dnsPacket.encode(ownResponse(query('x.corp.local'), { kind: 'nxdomain', zone: 'corp.local', negativeTtl: 15 })));
    expect((response as { rcode?: string }).rcode).toBe('NXDOMAIN');
    expect(response.authorities).toEqual([expect.objectContaining({ type: 'SOA', name: 'corp.local', ttl: 15, data: expect.objectContaining({ minimum: 15 }) })]);
    expect(Rcode.NxDomain).toBe(3);
  });

  it('truncates an answer that does not fit the UDP size, so the client retries over TCP', () => {
    const answers = Array.from({ length: 60 }, (_, i) => ({ type: 'A' as const, name: 'web.corp.local', ttl: 5, address: `10.0.0.${i}` }));
    const response = ownResponse(query('web.corp.local'), { kind: 'answer', answers, additionals: [] });
    const fitted = dnsPacket.decode(fitUdp(response, (p) => dnsPacket.encode(p), CLASSIC_UDP_SIZE));
    expect(fitted.flag_tc).toBe(true);
    expect(fitted.answers).toEqual([]);
    expect(dnsPacket.decode(fitUdp(response, (p) => dnsPacket.encode(p), 4096)).answers).toHaveLength(60);
  });

  it('reads the UDP size from EDNS, between 512 and 4096', () => {
    expect(udpSizeOf(query('a'))).toBe(512);
    const opt = (size: number) => query('a', 'A', { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: size, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] });
    expect(udpSizeOf(opt(1232))).toBe(1232);
    expect(udpSizeOf(opt(65000))).toBe(4096);
  });
});

describe('resolv.conf', () => {
  it('keeps up to three nameservers, loopback ones included, and skips the rest', () => {
    const text = 'search corp\nnameserver 127.0.0.53\n# nameserver 1.1.1.1\nnameserver fe80::1%eth0\nnameserver bogus\nnameserver 10.0.0.2\nnameserver 10.0.0.3\noptions edns0\n';
    expect(nameserversOf(text)).toEqual(['127.0.0.53', 'fe80::1%eth0', '10.0.0.2']);
    expect(nameserversOf('')).toEqual([]);
  });
});
