import type { Readable } from 'node:stream';
import type { AdvisoryLookup } from './advisories/advisory-db.js';
import { matchInventory, type Finding } from './advisories/match.js';
import { mergeLayerInventories } from './inventory/image-inventory.js';
import type { LayerInventoryCache } from './inventory/layer-cache.js';
import { readLayerInventory } from './inventory/layer-inventory.js';
import type { ImageInventory, LayerInventory } from './inventory/types.js';

/** One layer of an image, lowest first: its digest, and how to read its blob when it is not cached. */
export interface ImageLayer {
  digest: string;
  open(): Readable | Promise<Readable>;
}

/** An image's scan: what it holds, what is vulnerable, and when the advisories were last updated. */
export interface ScanResult {
  inventory: ImageInventory;
  findings: Finding[];
  osNotMatched?: string;
  /** ECR's `vulnerabilitySourceUpdatedAt`: the last advisory import, undefined before any. */
  advisoriesUpdatedAt?: string;
  /** How many layers came from the cache rather than their blobs. */
  cachedLayers: number;
}

/** The inventory of an image from its layers, each read from its blob only when the cache lacks it. */
export async function inventoryImage(layers: readonly ImageLayer[], cache?: LayerInventoryCache): Promise<{ inventory: ImageInventory; cachedLayers: number }> {
  const inventories: LayerInventory[] = [];
  let cachedLayers = 0;
  for (const layer of layers) {
    let inventory = cache?.get(layer.digest);
    if (inventory) cachedLayers++;
    else {
      try {
        inventory = await readLayerInventory(await layer.open());
      } catch (err) {
        throw new Error(`layer ${layer.digest} could not be read: ${(err as Error).message}`, { cause: err });
      }
      try {
        cache?.put(layer.digest, inventory);
      } catch (err) {
        // The cache only saves a later re-read: a database busy past its timeout (an advisory
        // import's long transaction) must not fail the scan.
        if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      }
    }
    inventories.push(inventory);
  }
  return { inventory: mergeLayerInventories(inventories), cachedLayers };
}

/**
 * Scans an image: its inventory (from cached layer inventories where there are some) matched
 * against the advisories. Re-evaluating an image after an advisory import is the same call: every
 * layer comes from the cache, and only the match runs again.
 */
export async function scanImage(layers: readonly ImageLayer[], advisories: AdvisoryLookup, cache?: LayerInventoryCache): Promise<ScanResult> {
  const { inventory, cachedLayers } = await inventoryImage(layers, cache);
  const { findings, osNotMatched } = matchInventory(inventory, advisories);
  const updatedAt = advisories.updatedAt();
  return { inventory, findings, ...(osNotMatched && { osNotMatched }), ...(updatedAt && { advisoriesUpdatedAt: updatedAt }), cachedLayers };
}
