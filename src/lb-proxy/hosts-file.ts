/**
 * The load balancers' DNS names in the host's hosts file, inside a block marked with this
 * platform's instance id (two platforms on one host keep their own blocks). Written by rename
 * where possible; a hosts file that is a bind mount cannot be replaced, so it is rewritten in place.
 */
import { readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One name and the address it resolves to. */
export interface HostsEntry {
  address: string;
  name: string;
}

const begin = (id: string): string => `# BEGIN minato load balancers ${id}`;
const end = (id: string): string => `# END minato load balancers ${id}`;

/** `text` with this instance's block replaced by `entries` (removed when there are none). */
export function withHostsBlock(text: string, instanceId: string, entries: HostsEntry[]): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (line === begin(instanceId)) inside = true;
    else if (line === end(instanceId)) inside = false;
    else if (!inside) kept.push(line);
  }
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  if (entries.length > 0) {
    kept.push(begin(instanceId), ...entries.map((e) => `${e.address} ${e.name}`), end(instanceId));
  }
  return `${kept.join('\n')}\n`;
}

/** Makes the file's block hold exactly `entries`; does nothing when it already does. */
export async function writeHostsBlock(path: string, instanceId: string, entries: HostsEntry[]): Promise<void> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
  const next = withHostsBlock(text, instanceId, entries);
  if (next === text) return;
  const temp = join(dirname(path), `.${instanceId}.hosts.tmp`);
  try {
    await writeFile(temp, next, { mode: 0o644 });
    await rename(temp, path);
  } catch {
    await unlink(temp).catch(() => undefined);
    await writeFile(path, next);
  }
}
