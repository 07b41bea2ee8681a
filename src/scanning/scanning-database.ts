import Database from 'better-sqlite3';
import { preparePrivateDatabaseFile } from '../store/private-file.js';

/** The database's file name in the data dir. */
export const SCANNING_DB_FILE = 'scanning.db';

/**
 * The tables of `scanning.db`: the advisories imported offline (each source with its date) and the
 * inventories of layers, cached by digest. A database of its own rather than the Store port:
 * `minato advisories import` must be able to write it while `minato up` holds the data dir
 * (the Store's database is the server's alone), and a dump of 100,000 OSV records wants indexed
 * rows and one transaction, not documents. In WAL mode both processes open it; the importer's
 * single transaction means the server sees the old advisories or the new ones, never half.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS advisory_sources (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    file        TEXT NOT NULL,
    source_date TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    records     INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS os_advisories (
    source        TEXT NOT NULL,
    distro        TEXT NOT NULL,
    release       TEXT NOT NULL,
    package       TEXT NOT NULL,
    vuln_id       TEXT NOT NULL,
    fixed_version TEXT,
    severity      TEXT,
    PRIMARY KEY (distro, release, package, vuln_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS os_advisories_by_source ON os_advisories (source);
  CREATE TABLE IF NOT EXISTS osv_vulnerabilities (
    id       TEXT PRIMARY KEY,
    source   TEXT NOT NULL,
    modified TEXT NOT NULL,
    summary  TEXT,
    aliases  TEXT NOT NULL,
    severity TEXT,
    cvss     TEXT
  );
  CREATE TABLE IF NOT EXISTS osv_affected (
    vuln_id   TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    package   TEXT NOT NULL,
    ranges    TEXT NOT NULL,
    versions  TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS osv_affected_by_package ON osv_affected (ecosystem, package);
  CREATE INDEX IF NOT EXISTS osv_affected_by_vuln ON osv_affected (vuln_id);
  CREATE TABLE IF NOT EXISTS layer_inventories (
    digest     TEXT PRIMARY KEY,
    reader     INTEGER NOT NULL,
    inventory  TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
`;

/** Opens (creating when needed) the scanning database at `file`, or an in-memory one for `:memory:`. */
export function openScanningDatabase(file: string, options: { readonly?: boolean } = {}): Database.Database {
  if (!options.readonly) preparePrivateDatabaseFile(file);
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    db.exec(SCHEMA);
    addMissingColumns(db);
  }
  return db;
}

/**
 * Columns added after a database may have been created: `osv_vulnerabilities.cvss` (the records'
 * CVSS vectors). Records imported before it have none until their source is imported again.
 */
function addMissingColumns(db: Database.Database): void {
  const columns = (db.prepare("SELECT name FROM pragma_table_info('osv_vulnerabilities')").pluck().all() as string[]);
  if (!columns.includes('cvss')) db.exec('ALTER TABLE osv_vulnerabilities ADD COLUMN cvss TEXT');
}
