import type { IncomingMessage } from 'node:http';
import { registryError, sizeInvalid, uploadInvalid } from '../errors.js';
import { ErrorKind } from '../../lib/errors.js';
import type { ChunkFraming } from '../storage/uploads.js';

/** Tells whether a request carries a body (announced by Content-Length > 0 or Transfer-Encoding). */
export function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/** The Content-Length header as a number, undefined when absent; SIZE_INVALID when malformed. */
export function contentLength(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw sizeInvalid(`invalid Content-Length "${value}"`);
  return Number(value);
}

/**
 * Reads a whole (small) body, refusing more than `limit` bytes: `onTooLarge` builds the error,
 * thrown as soon as the limit is passed, without reading the rest.
 */
export async function readLimited(req: IncomingMessage, limit: number, onTooLarge: () => Error): Promise<Buffer> {
  const announced = contentLength(req);
  if (announced !== undefined && announced > limit) throw onTooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > limit) throw onTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A chunk's framing from Content-Range (`<start>-<end>`, also `bytes <start>-<end>[/<total>]`) and Content-Length. */
export function chunkFraming(req: IncomingMessage): ChunkFraming {
  const length = contentLength(req);
  const header = req.headers['content-range'];
  if (header === undefined) return length === undefined ? {} : { length };
  const m = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!m) throw uploadInvalid(`invalid Content-Range "${header}": expected <start>-<end>`);
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) throw uploadInvalid(`invalid Content-Range "${header}": end before start`);
  return { range: { start, end }, ...(length !== undefined && { length }) };
}

/**
 * The byte range a GET asks for, resolved against `size`: undefined for the whole blob (no Range
 * header, or one this server answers in full, such as several ranges), else an inclusive range.
 * An unsatisfiable range is an error (416).
 */
export function requestedRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw rangeNotSatisfiable(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  if (start >= size) throw rangeNotSatisfiable(size);
  return { start, end };
}

/** A Range a blob cannot satisfy (HTTP 416, with `Content-Range: bytes *\/<size>`). */
export const rangeNotSatisfiable = (size: number) =>
  registryError(ErrorKind.FailedPrecondition, 'range', `requested range not satisfiable: the blob has ${size} bytes`, { size });
