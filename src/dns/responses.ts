import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import type { LookupResult, OwnRecord } from './lookup.js';

/** DNS response codes used here (RFC 1035 §4.1.1). */
export const Rcode = { NoError: 0, FormErr: 1, ServFail: 2, NxDomain: 3, NotImp: 4 } as const;

const AA = 1 << 10;
const TC = 1 << 9;
const RD = 1 << 8;
const RA = 1 << 7;

/** The largest UDP answer a client without EDNS takes (RFC 1035 §4.2.1). */
export const CLASSIC_UDP_SIZE = 512;

/** The UDP payload size a query allows: its EDNS OPT record's, else 512. */
export function udpSizeOf(query: Packet): number {
  const opt = (query.additionals ?? []).find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  return Math.max(CLASSIC_UDP_SIZE, Math.min(opt?.udpPayloadSize ?? CLASSIC_UDP_SIZE, 4096));
}

function recordOf(r: OwnRecord): Answer {
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return { type: r.type, name: r.name, ttl: r.ttl, class: 'IN', data: r.address };
    case 'CNAME':
      return { type: 'CNAME', name: r.name, ttl: r.ttl, class: 'IN', data: r.target };
    case 'SRV':
      return { type: 'SRV', name: r.name, ttl: r.ttl, class: 'IN', data: { priority: r.priority, weight: r.weight, port: r.port, target: r.target } };
  }
}

/** The header flags of an answer: authoritative, recursion as the client asked and available, the rcode. */
function flagsOf(query: DecodedPacket, rcode: number, authoritative: boolean): number {
  return (authoritative ? AA : 0) | (query.flag_rd ? RD : 0) | RA | rcode;
}

/**
 * The response to `query` from an own lookup result (pure). NXDOMAIN carries the zone's SOA in
 * the authority section, whose TTL tells resolvers how long to cache the negative answer, as
 * Route 53's SOA does.
 */
export function ownResponse(query: DecodedPacket, result: Exclude<LookupResult, { kind: 'not-ours' }>): Packet {
  const base = { type: 'response' as const, id: query.id ?? 0, questions: query.questions ?? [] };
  if (result.kind === 'nxdomain') {
    const soa: Answer = {
      type: 'SOA',
      name: result.zone,
      ttl: result.negativeTtl,
      class: 'IN',
      data: { mname: `ns.${result.zone}`, rname: `hostmaster.${result.zone}`, serial: 1, refresh: 7200, retry: 900, expire: 1209600, minimum: result.negativeTtl },
    };
    return { ...base, flags: flagsOf(query, Rcode.NxDomain, true), answers: [], authorities: [soa], additionals: [] };
  }
  return {
    ...base,
    flags: flagsOf(query, Rcode.NoError, true),
    answers: result.answers.map(recordOf),
    authorities: [],
    additionals: result.additionals.map(recordOf),
  };
}

/** An error response (FORMERR, SERVFAIL, NOTIMP) to `query`. */
export function errorResponse(query: DecodedPacket, rcode: number): Packet {
  return { type: 'response', id: query.id ?? 0, flags: flagsOf(query, rcode, false), questions: query.questions ?? [], answers: [], authorities: [], additionals: [] };
}

/**
 * Fits an encoded own response into a UDP payload: as is when it fits, else without its records
 * and with TC set, so that the client asks again over TCP (RFC 1035 §4.2.1).
 */
export function fitUdp(response: Packet, encode: (p: Packet) => Buffer, size: number): Buffer {
  const whole = encode(response);
  if (whole.length <= size) return whole;
  return encode({ ...response, flags: (response.flags ?? 0) | TC, answers: [], authorities: [], additionals: [] });
}
