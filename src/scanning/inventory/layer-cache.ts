import type Database from 'better-sqlite3';
import type { LayerInventory } from './types.js';

/**
 * The version of the layer readers. Bump it when a reader finds more or differently: cached
 * inventories of an older reader are then read again from the layer.
 */
export const LAYER_READER_VERSION = 1;

/** Layer inventories by layer digest. A layer's content never changes under its digest, so entries never go stale. */
export interface LayerInventoryCache {
  get(digest: string): LayerInventory | undefined;
  put(digest: string, inventory: LayerInventory): void;
}

/** The cache in `scanning.db`'s `layer_inventories` table. */
export class SqliteLayerInventoryCache implements LayerInventoryCache {
  private readonly select;
  private readonly upsert;

  constructor(
    db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.select = db.prepare('SELECT inventory FROM layer_inventories WHERE digest = ? AND reader = ?').pluck();
    this.upsert = db.prepare('INSERT OR REPLACE INTO layer_inventories (digest, reader, inventory, created_at) VALUES (?, ?, ?, ?)');
  }

  get(digest: string): LayerInventory | undefined {
    const json = this.select.get(digest, LAYER_READER_VERSION) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as LayerInventory);
  }

  put(digest: string, inventory: LayerInventory): void {
    this.upsert.run(digest, LAYER_READER_VERSION, JSON.stringify(inventory), this.now().toISOString());
  }
}
