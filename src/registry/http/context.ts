import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Scope } from '../../lib/scope.js';
import type { Registry } from '../registry.js';

/** One authenticated `/v2/` request, as the handlers see it. */
export interface V2Call {
  registry: Registry;
  /** The caller's account and region, and the request time. */
  scope: Scope;
  req: FastifyRequest;
  reply: FastifyReply;
  query: URLSearchParams;
}

/** The path of a repository's endpoint, for Location headers (relative URLs, as the spec allows). */
export const v2Path = (name: string, rest: string): string => `/v2/${name}/${rest}`;

/** The `Range` header value of an upload holding `offset` bytes (CNCF Distribution says `0-0` when empty). */
export const uploadRange = (offset: number): string => `0-${Math.max(0, offset - 1)}`;
