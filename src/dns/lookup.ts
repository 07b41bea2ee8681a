/**
 * The DNS server's port to the names it answers itself. The platform hands it the private DNS
 * namespaces' records (discovery/); whatever is `not-ours` is forwarded to the host's resolvers.
 */

/** One resource record of an own answer. */
export type OwnRecord =
  | { type: 'A'; name: string; ttl: number; address: string }
  | { type: 'AAAA'; name: string; ttl: number; address: string }
  | { type: 'SRV'; name: string; ttl: number; priority: number; weight: number; port: number; target: string }
  | { type: 'CNAME'; name: string; ttl: number; target: string };

/** What the lookup says of one question. */
export type LookupResult =
  | { kind: 'answer'; answers: readonly OwnRecord[]; additionals: readonly OwnRecord[] }
  /** The name is inside an own zone but has no records: NXDOMAIN, with the zone's SOA. */
  | { kind: 'nxdomain'; zone: string; negativeTtl: number }
  | { kind: 'not-ours' };

/** Answers a question (a name without a trailing dot, a record type such as `A`). */
export type DnsLookup = (name: string, type: string) => Promise<LookupResult>;
