import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/**
 * The FireLens `s3` output's archive: objects under `<root>/<bucket>/<key>`. Each batch is
 * appended as its own gzip member, so a file is always a valid gzip stream (readers such as zcat
 * decompress every member) and a crash loses at most the batch being written.
 */
export async function appendToArchive(root: string, bucket: string, key: string, lines: readonly string[], gzipped: boolean): Promise<string> {
  const path = join(root, bucket, key);
  await mkdir(dirname(path), { recursive: true });
  const body = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
  await appendFile(path, gzipped ? await gzipAsync(body) : body);
  return path;
}
