import type Database from 'better-sqlite3';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { readZip } from '../inventory/zip.js';
import { importAlpineSecDb, looksLikeAlpineSecDb } from './import-alpine.js';
import { importDebianTracker, looksLikeDebianTracker } from './import-debian.js';
import { importOsvRecords, looksLikeOsv } from './import-osv.js';
import type { ImportSummary } from './source-record.js';

/** The first bytes of a zip archive. */
const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

/**
 * Imports one advisory file, telling its format from its content: a zip is an OSV dump (every
 * `.json` inside a record); JSON is an OSV record or array of records, an Alpine secdb file, or
 * the Debian security tracker's document. The file's mtime dates sources that carry no dates.
 */
export function importAdvisoryFile(db: Database.Database, path: string, now: Date = new Date()): ImportSummary {
  const content = readFileSync(path);
  const file = basename(path);
  const mtime = statSync(path).mtime.toISOString();
  const at = now.toISOString();
  if (content.subarray(0, 4).equals(ZIP_MAGIC)) {
    const entries = readZip(content).filter((e) => e.name.endsWith('.json'));
    function* records(): Generator<unknown> {
      for (const e of entries) yield JSON.parse(e.read().toString('utf8')) as unknown;
    }
    return importOsvRecords(db, records(), file, at);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(content.toString('utf8'));
  } catch (err) {
    throw new Error(`${file}: neither a zip nor JSON (${(err as Error).message})`);
  }
  if (Array.isArray(doc)) return importOsvRecords(db, doc, file, at);
  if (looksLikeOsv(doc)) return importOsvRecords(db, [doc], file, at);
  if (looksLikeAlpineSecDb(doc)) return importAlpineSecDb(db, doc, file, mtime, at);
  if (looksLikeDebianTracker(doc)) return importDebianTracker(db, doc, file, mtime, at);
  throw new Error(`${file}: not an advisory format minato imports (OSV, Debian security tracker, Alpine secdb)`);
}
