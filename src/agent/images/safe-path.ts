/**
 * Paths of layer entries, kept inside the layer's directory. Entry names with `..` or a leading
 * `/` are refused outright. Symlinks met on the way to an entry's parent are followed as the
 * container would see them, inside the root (`/` and `..` stop at the root), the way a chrooted
 * extraction behaves: so an entry can never be written through a symlink to outside the layer.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PullErrorKind, RegistryError } from './pull-error.js';

/** Linux's limit on symlinks followed while resolving one path. */
const MAX_SYMLINK_HOPS = 40;

const refuse = (message: string) => new RegistryError(PullErrorKind.InvalidContent, message);

/**
 * The components of an entry name (`./usr/bin/` → `usr`, `bin`); `[]` is the layer's root.
 * Refuses absolute names and any `..` component.
 */
export function entryComponents(name: string): string[] {
  if (name.startsWith('/')) throw refuse(`absolute path in layer entry ${JSON.stringify(name)}`);
  if (name.includes('\0')) throw refuse(`NUL byte in layer entry name ${JSON.stringify(name)}`);
  const components = name.split('/').filter((c) => c !== '' && c !== '.');
  if (components.includes('..')) throw refuse(`path traversal in layer entry ${JSON.stringify(name)}`);
  return components;
}

/**
 * Resolves directories of a layer being unpacked, creating missing ones (mode 0755, root-owned,
 * as tar does). Remembers directories it found without symlinks, so that a layer of thousands of
 * entries costs one lstat per new directory; {@link forget} must be called when an entry replaces
 * a path, since a remembered directory may then be gone. Lookups are synchronous (microseconds);
 * creating a directory is not (it may wait on the disk).
 */
export class InRootResolver {
  private readonly known = new Set<string>();

  constructor(readonly root: string) {}

  /**
   * The real path, inside the root, of the directory `components` names (created if missing).
   * Throws when a component is an existing non-directory, or on a symlink loop.
   */
  async directory(components: readonly string[]): Promise<{ path: string; components: string[] }> {
    const key = components.join('/');
    if (components.length === 0 || this.known.has(key)) return { path: join(this.root, ...components), components: [...components] };
    const resolved: string[] = [];
    const queue = [...components];
    let hops = 0;
    while (queue.length > 0) {
      const part = queue.shift()!;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        resolved.pop();
        continue;
      }
      const candidate = join(this.root, ...resolved, part);
      const stats = lstatSync(candidate, { throwIfNoEntry: false });
      if (stats === undefined) {
        await mkdir(candidate, { mode: 0o755 });
      } else if (stats.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) throw refuse(`too many levels of symbolic links resolving ${JSON.stringify(key)}`);
        const target = readlinkSync(candidate);
        if (target.startsWith('/')) resolved.length = 0;
        queue.unshift(...target.split('/'));
        continue;
      } else if (!stats.isDirectory()) {
        throw refuse(`cannot create ${JSON.stringify(key)}: ${JSON.stringify([...resolved, part].join('/'))} is not a directory`);
      }
      resolved.push(part);
    }
    if (hops === 0) {
      for (let i = 1; i <= components.length; i++) this.known.add(components.slice(0, i).join('/'));
    }
    return { path: join(this.root, ...resolved), components: resolved };
  }

  /** Forgets what is known about `path` and below (an entry replaced or removed it). */
  forget(components: readonly string[]): void {
    const key = components.join('/');
    if (!this.known.has(key)) return;
    for (const known of this.known) if (known === key || known.startsWith(`${key}/`)) this.known.delete(known);
  }
}
