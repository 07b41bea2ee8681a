import type { FileFact, FileFindings, ImageInventory, LayerInventory, OsRelease } from './types.js';

const under = (path: string, dir: string): boolean => dir === '' || path === dir || path.startsWith(`${dir}/`);

/**
 * The inventory of an image from its layers' inventories, lowest layer first: each layer's
 * whiteouts remove what the layers below put at (or under) the deleted path, an opaque directory
 * hides everything below it from lower layers, and a file a layer writes replaces the lower file at
 * the same path. The OS is `etc/os-release`, else `usr/lib/os-release` (to which the first is
 * often a symlink). The image checks' file facts merge the same way; a lower layer's fact that an
 * upper layer overwrites with a file the checks do not note (a setuid file replaced in place by a
 * plain one, without a whiteout) is not seen to go: layers keep no listing of every path. The result is shared between callers merging the same layer objects: it must
 * not be changed.
 */
export function mergeLayerInventories(layers: readonly LayerInventory[]): ImageInventory {
  // Cached layer inventories are shared, immutable objects: the same stack merges to the same image.
  const top = layers.at(-1);
  const known = top && merged.get(top);
  if (known && known.layers.length === layers.length && known.layers.every((l, i) => l === layers[i])) return known.image;
  const image = merge(layers);
  if (top) merged.set(top, { layers: [...layers], image });
  return image;
}

/** The last merge of each top layer, for re-evaluations that merge the same stacks again and again. */
const merged = new WeakMap<LayerInventory, { layers: LayerInventory[]; image: ImageInventory }>();

function merge(layers: readonly LayerInventory[]): ImageInventory {
  let files = new Map<string, FileFindings>();
  let facts = new Map<string, FileFact>();
  const problems = new Map<string, string>();
  for (const layer of layers) {
    if (layer.deleted.length > 0 || layer.opaque.length > 0) {
      const hidden = (path: string): boolean => layer.deleted.some((d) => under(path, d)) || layer.opaque.some((d) => under(path, d) && path !== d);
      files = new Map([...files].filter(([path]) => !hidden(path)));
      facts = new Map([...facts].filter(([path]) => !hidden(path)));
      for (const path of [...problems.keys()]) if (hidden(path)) problems.delete(path);
    }
    for (const f of layer.facts ?? []) facts.set(f.path, f);
    for (const f of layer.files) {
      files.set(f.path, f);
      problems.delete(f.path);
    }
    for (const p of layer.problems) problems.set(p.path, p.reason);
  }
  const osFile = files.get('etc/os-release')?.osRelease ? files.get('etc/os-release') : files.get('usr/lib/os-release');
  const os: OsRelease | undefined = osFile?.osRelease;
  const packages = [...files.values()].flatMap((f) => f.packages);
  return { ...(os && { os }), packages, problems: [...problems].map(([path, reason]) => ({ path, reason })), files: [...facts.values()] };
}
