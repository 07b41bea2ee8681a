import type Database from 'better-sqlite3';
import type { LayerInventory } from './types.js';

/**
 * The version of the layer readers. Bump it when a reader finds more or differently: cached
 * inventories of an older reader are then read again from the layer. 2: the image checks' file facts.
 */
export const LAYER_READER_VERSION = 2;

/** Layer inventories by layer digest. A layer's content never changes under its digest, so entries never go stale. */
export interface LayerInventoryCache {
  get(digest: string): LayerInventory | undefined;
  put(digest: string, inventory: LayerInventory): void;
}

/** How many parsed inventories stay in memory in front of the table. */
const IN_MEMORY = 256;

/**
 * The cache in `scanning.db`'s `layer_inventories` table, with the most recently used inventories
 * kept parsed in memory: re-evaluating many images that share base layers parses each layer once.
 * The inventories handed out are shared and must not be changed.
 */
export class SqliteLayerInventoryCache implements LayerInventoryCache {
  private readonly select;
  private readonly upsert;
  private readonly recent = new Map<string, LayerInventory>();

  constructor(
    db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.select = db.prepare('SELECT inventory FROM layer_inventories WHERE digest = ? AND reader = ?').pluck();
    this.upsert = db.prepare('INSERT OR REPLACE INTO layer_inventories (digest, reader, inventory, created_at) VALUES (?, ?, ?, ?)');
  }

  get(digest: string): LayerInventory | undefined {
    let inventory = this.recent.get(digest);
    if (inventory === undefined) {
      const json = this.select.get(digest, LAYER_READER_VERSION) as string | undefined;
      if (json === undefined) return undefined;
      inventory = JSON.parse(json) as LayerInventory;
    }
    this.remember(digest, inventory);
    return inventory;
  }

  put(digest: string, inventory: LayerInventory): void {
    this.upsert.run(digest, LAYER_READER_VERSION, JSON.stringify(inventory), this.now().toISOString());
    this.remember(digest, inventory);
  }

  private remember(digest: string, inventory: LayerInventory): void {
    this.recent.delete(digest);
    this.recent.set(digest, inventory);
    if (this.recent.size > IN_MEMORY) this.recent.delete(this.recent.keys().next().value!);
  }
}
