import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One entry under a data dir: its path relative to the dir, its kind and permission bits. */
export interface DataDirEntry {
  path: string;
  kind: 'file' | 'dir' | 'other';
  mode: number;
  /** Whether a regular file's bytes contain the needle given to the walk. */
  containsNeedle: boolean;
}

/**
 * Every entry under `dir`, depth first, not descending where `skip` says (container file systems
 * and image content, whose modes are the image's). Only regular files are read: a FIFO would block.
 */
export function walkDataDir(dir: string, needle: string, skip: (path: string) => boolean): DataDirEntry[] {
  const out: DataDirEntry[] = [];
  const visit = (abs: string) => {
    for (const name of readdirSync(abs)) {
      const full = join(abs, name);
      const path = relative(dir, full);
      if (skip(path)) continue;
      const stat = lstatSync(full);
      const mode = stat.mode & 0o777;
      if (stat.isDirectory()) {
        out.push({ path, kind: 'dir', mode, containsNeedle: false });
        visit(full);
      } else if (stat.isFile()) {
        out.push({ path, kind: 'file', mode, containsNeedle: readFileSync(full).includes(needle) });
      } else {
        out.push({ path, kind: 'other', mode, containsNeedle: false });
      }
    }
  };
  visit(dir);
  return out;
}
