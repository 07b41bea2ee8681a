import type { FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { BufferPool } from '../storage/buffer-pool.js';

/**
 * Writes `length` bytes of `file`, from byte `start`, as the body of `res` (whose headers are set)
 * and ends it. Two pooled buffers per download: the next chunk is read while the previous one is
 * being written, and a buffer returns to the pool only once the socket has taken all of it, so
 * memory stays at two buffers per download however large the blob and allocation never churns.
 *
 * Rejects when the client goes away or the file holds fewer bytes than announced; the caller then
 * destroys the response (its Content-Length promised bytes that will not come). The file is the
 * caller's to close.
 */
export async function sendFileRange(res: ServerResponse, file: FileHandle, start: number, length: number, pool: BufferPool): Promise<void> {
  const buffers = [pool.take(), pool.take()] as const;
  // Buffers a write still holds when the download fails are not returned: the socket may read them.
  const held = new Set<Buffer>();
  // Settles, never rejects (a rejection nobody awaits yet would be unhandled): failures go to `failure`.
  let writing: Promise<void> = Promise.resolve();
  let failure: unknown;
  let sent = 0;
  try {
    for (let turn = 0; sent < length; turn++) {
      const buffer = buffers[turn % 2]!;
      // This buffer's last write (two turns ago) finished before the previous turn wrote.
      const want = Math.min(buffer.length, length - sent);
      const { bytesRead } = await file.read(buffer, 0, want, start + sent);
      if (bytesRead === 0) throw new Error(`blob file ended after ${sent} of ${length} bytes`);
      await writing;
      if (failure !== undefined) throw failure;
      const chunk = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
      held.add(buffer);
      writing = writeChunk(res, chunk).then(
        () => void held.delete(buffer),
        (err: unknown) => void (failure = err),
      );
      sent += bytesRead;
    }
    await writing;
    if (failure !== undefined) throw failure;
    res.end();
  } finally {
    await writing;
    for (const buffer of buffers) if (!held.has(buffer)) pool.give(buffer);
  }
}

/** Writes one chunk; resolves once the socket has taken it, rejects when the response closes first. */
function writeChunk(res: ServerResponse, chunk: Buffer): Promise<void> {
  if (res.destroyed || res.closed || res.socket?.destroyed) return Promise.reject(new Error('the client went away'));
  return new Promise((resolve, reject) => {
    // A write to a socket destroyed in the meantime never calls back: the close event ends the wait.
    const onClose = () => reject(new Error('the client went away'));
    res.once('close', onClose);
    res.write(chunk, (err) => {
      res.off('close', onClose);
      if (err) reject(err);
      else resolve();
    });
  });
}
