import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The running state of an upload's data file: bytes on disk and the hash over exactly those bytes. */
export interface HashedLength {
  hash: Hash;
  bytes: number;
}

/**
 * Streams `body` onto the end of an open file, updating `state` only after each write has reached
 * the file: when the client disconnects midway, `state` still describes exactly what is on disk,
 * so the upload can be resumed from there. Never buffers more than one batch of chunks.
 */
export async function appendStream(handle: FileHandle, body: Readable, state: HashedLength): Promise<void> {
  let inFlight: Promise<unknown> = Promise.resolve();
  const sink = new Writable({
    // Batches what arrived while the previous write was in flight into one writev.
    highWaterMark: 1024 * 1024,
    writev(chunks, callback) {
      const buffers = chunks.map((c) => c.chunk as Buffer);
      const write = writeAll(handle, buffers).then(() => {
        for (const b of buffers) state.hash.update(b);
        state.bytes += buffers.reduce((n, b) => n + b.length, 0);
      });
      inFlight = write.then(
        () => callback(),
        (err: Error) => callback(err),
      );
    },
  });
  try {
    await pipeline(body, sink);
  } finally {
    // A write still in flight when the client went away must settle before the caller closes the file.
    await inFlight;
  }
}

/** Writes every buffer fully (a regular file may accept a writev only in part). */
async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const { bytesWritten } = await handle.writev(buffers);
  if (bytesWritten === total) return;
  let skip = bytesWritten;
  for (const b of buffers) {
    if (skip >= b.length) {
      skip -= b.length;
      continue;
    }
    let rest = b.subarray(skip);
    skip = 0;
    while (rest.length > 0) {
      const { bytesWritten: n } = await handle.write(rest);
      rest = rest.subarray(n);
    }
  }
}
