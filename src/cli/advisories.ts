import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AdvisoryDb, type AdvisorySource } from '../scanning/advisories/advisory-db.js';
import { importAdvisoryFile } from '../scanning/advisories/import-file.js';
import { openScanningDatabase, SCANNING_DB_FILE } from '../scanning/scanning-database.js';
import { DEFAULT_CONFIG } from './config.js';
import { preparePrivateDataDir } from './data-dir.js';

interface AdvisoryFlags {
  dataDir?: string;
  json?: boolean;
}

const dataDirOf = (flags: AdvisoryFlags): string => resolve(flags.dataDir ?? process.env.MINATO_DATA_DIR ?? DEFAULT_CONFIG.dataDir);

function table(sources: AdvisorySource[]): string {
  if (sources.length === 0) return 'no advisories imported\n';
  const rows = [['SOURCE', 'RECORDS', 'SOURCE DATE', 'IMPORTED', 'FILE'], ...sources.map((s) => [s.id, String(s.records), s.sourceDate, s.importedAt, s.file])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

/**
 * Imports advisory files into the data dir's scanning database. This runs while `minato up` holds
 * the data dir: the scanning database is its own SQLite file in WAL mode, which both processes
 * open, and each file is imported in one transaction, so a running server sees each source's old
 * advisories or its new ones. Files are imported in the order given; a file that fails stops the
 * command, the files before it staying imported.
 */
export function runAdvisoriesImport(files: string[], flags: AdvisoryFlags): { text: string; json: unknown } {
  const dataDir = dataDirOf(flags);
  preparePrivateDataDir(dataDir, (_details, message) => process.stderr.write(`minato: ${message}\n`));
  const db = openScanningDatabase(join(dataDir, SCANNING_DB_FILE));
  try {
    const results = files.map((file) => ({ file, ...importAdvisoryFile(db, file) }));
    const text = results
      .map((r) => {
        const skipped = Object.entries(r.skipped).map(([why, n]) => `${n} ${why}`);
        return `${r.file}: ${r.sources.map((s) => `${s.id} (${s.records} record${s.records === 1 ? '' : 's'}, dated ${s.sourceDate})`).join(', ') || 'nothing imported'}${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`;
      })
      .join('\n');
    return { text: `${text}\n`, json: results };
  } finally {
    db.close();
  }
}

/** The imported sources with their dates; a data dir without a scanning database has none. */
export function runAdvisoriesStatus(flags: AdvisoryFlags): { text: string; json: unknown } {
  const file = join(dataDirOf(flags), SCANNING_DB_FILE);
  if (!existsSync(file)) return { text: table([]), json: { sources: [] } };
  const db = openScanningDatabase(file, { readonly: true });
  try {
    const advisories = new AdvisoryDb(db);
    const sources = advisories.sources();
    const updatedAt = advisories.updatedAt();
    return { text: table(sources), json: { sources, ...(updatedAt && { updatedAt }) } };
  } finally {
    db.close();
  }
}

/** `minato advisories import FILE…` and `minato advisories status`. */
export function registerAdvisories(program: Command): void {
  const advisories = program.command('advisories').description('the offline advisory database that image scans match against');
  advisories
    .command('import')
    .description('import advisory files: OSV JSON records or zip dumps, the Debian security tracker JSON, Alpine secdb JSON')
    .argument('<files...>', 'files to import, in order')
    .option('--data-dir <dir>', 'where state is kept (env MINATO_DATA_DIR)')
    .option('--json', 'print what was imported as JSON')
    .action((files: string[], flags: AdvisoryFlags) => {
      const result = runAdvisoriesImport(files, flags);
      process.stdout.write(flags.json ? `${JSON.stringify(result.json, null, 2)}\n` : result.text);
    });
  advisories
    .command('status')
    .description('show the imported advisory sources and their dates')
    .option('--data-dir <dir>', 'where state is kept (env MINATO_DATA_DIR)')
    .option('--json', 'print as JSON')
    .action((flags: AdvisoryFlags) => {
      const result = runAdvisoriesStatus(flags);
      process.stdout.write(flags.json ? `${JSON.stringify(result.json, null, 2)}\n` : result.text);
    });
}
