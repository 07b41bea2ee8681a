import type Database from 'better-sqlite3';

/** One imported source of advisories, as `minato advisories status` shows it. */
export interface AdvisorySource {
  /** `debian-security-tracker`, `alpine-secdb:v3.19:main`, `osv:npm`, … */
  id: string;
  kind: 'debian' | 'alpine' | 'osv';
  /** The name of the file it was last imported from. */
  file: string;
  /** How current the data is: the newest `modified` of its OSV records, else the file's mtime (ISO 8601). */
  sourceDate: string;
  importedAt: string;
  records: number;
}

/** A vendor's word on one package of one release: affected by `vulnId`, fixed from `fixedVersion` (none: not yet). */
export interface OsAdvisory {
  vulnId: string;
  fixedVersion?: string;
  severity?: string;
  source: string;
}

/** An OSV `affected` entry of one package, with its vulnerability's summary. */
export interface OsvAffected {
  vulnId: string;
  ranges: OsvRange[];
  versions: string[];
  summary?: string;
  aliases: string[];
  severity?: string;
  /** The record's CVSS vectors (OSV's `severity[]`: `CVSS_V3` and the like, the vector in `score`). */
  cvss: OsvSeverity[];
  source: string;
}

/** One entry of an OSV record's `severity`: a scoring system and its vector. */
export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvRange {
  type: string;
  events: OsvEvent[];
}

export type OsvEvent = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

/** The reads matching needs. */
export interface AdvisoryLookup {
  osAdvisories(distro: string, release: string, pkg: string): OsAdvisory[];
  osvAffected(ecosystem: string, pkg: string): OsvAffected[];
  hasRelease(distro: string, release: string): boolean;
  updatedAt(): string | undefined;
  /** Where a matcher may keep what it derived from these reads, when they cannot change under it. */
  readonly derived?: Map<string, unknown>;
}

/** Reads of the advisory tables, for matching and for `status`. */
export class AdvisoryDb implements AdvisoryLookup {
  private readonly statements;

  constructor(readonly db: Database.Database) {
    this.statements = {
      os: db.prepare('SELECT vuln_id, fixed_version, severity, source FROM os_advisories WHERE distro = ? AND release = ? AND package = ?'),
      osv: db.prepare(
        'SELECT a.vuln_id, a.ranges, a.versions, v.summary, v.aliases, v.severity, v.cvss, v.source FROM osv_affected a JOIN osv_vulnerabilities v ON v.id = a.vuln_id WHERE a.ecosystem = ? AND a.package = ?',
      ),
      sources: db.prepare('SELECT * FROM advisory_sources ORDER BY id'),
      release: db.prepare('SELECT 1 FROM os_advisories WHERE distro = ? AND release = ? LIMIT 1'),
      revision: db.prepare("SELECT group_concat(id || '|' || source_date || '|' || imported_at || '|' || records, '\n') FROM (SELECT * FROM advisory_sources ORDER BY id)").pluck(),
    };
  }

  osAdvisories(distro: string, release: string, pkg: string): OsAdvisory[] {
    const rows = this.statements.os.all(distro, release, pkg) as { vuln_id: string; fixed_version: string | null; severity: string | null; source: string }[];
    return rows.map((r) => ({ vulnId: r.vuln_id, ...(r.fixed_version !== null && { fixedVersion: r.fixed_version }), ...(r.severity !== null && { severity: r.severity }), source: r.source }));
  }

  osvAffected(ecosystem: string, pkg: string): OsvAffected[] {
    const rows = this.statements.osv.all(ecosystem, pkg) as { vuln_id: string; ranges: string; versions: string; summary: string | null; aliases: string; severity: string | null; cvss: string | null; source: string }[];
    return rows.map((r) => ({
      vulnId: r.vuln_id,
      ranges: JSON.parse(r.ranges) as OsvRange[],
      versions: JSON.parse(r.versions) as string[],
      ...(r.summary !== null && { summary: r.summary }),
      aliases: JSON.parse(r.aliases) as string[],
      ...(r.severity !== null && { severity: r.severity }),
      cvss: r.cvss === null ? [] : (JSON.parse(r.cvss) as OsvSeverity[]),
      source: r.source,
    }));
  }

  /** Whether any advisories of `distro` for `release` were imported (else its packages cannot be judged). */
  hasRelease(distro: string, release: string): boolean {
    return this.statements.release.get(distro, release) !== undefined;
  }

  sources(): AdvisorySource[] {
    const rows = this.statements.sources.all() as { id: string; kind: AdvisorySource['kind']; file: string; source_date: string; imported_at: string; records: number }[];
    return rows.map((r) => ({ id: r.id, kind: r.kind, file: r.file, sourceDate: r.source_date, importedAt: r.imported_at, records: r.records }));
  }

  /**
   * A word that changes whenever the advisories do: every source with its date, import time and
   * size. Cheap enough to poll; a process that imported while another runs is seen by comparing it.
   */
  revision(): string {
    return (this.statements.revision.get() as string | null) ?? '';
  }

  /** When the advisories last changed (ECR's `vulnerabilitySourceUpdatedAt`), or undefined before any import. */
  updatedAt(): string | undefined {
    return this.sources().reduce<string | undefined>((latest, s) => (latest === undefined || s.importedAt > latest ? s.importedAt : latest), undefined);
  }
}

/**
 * The same reads, each answered from the database once: for re-evaluating many images against one
 * state of the advisories, where the same packages recur in image after image. It does not see
 * later imports; make a new one per pass.
 */
export class MemoizedAdvisories implements AdvisoryLookup {
  private readonly os = new Map<string, OsAdvisory[]>();
  private readonly osv = new Map<string, OsvAffected[]>();
  private readonly releases = new Map<string, boolean>();
  private updated: { at: string | undefined } | undefined;
  readonly derived = new Map<string, unknown>();

  constructor(private readonly db: AdvisoryLookup) {}

  osAdvisories(distro: string, release: string, pkg: string): OsAdvisory[] {
    return memo(this.os, `${distro}\0${release}\0${pkg}`, () => this.db.osAdvisories(distro, release, pkg));
  }

  osvAffected(ecosystem: string, pkg: string): OsvAffected[] {
    return memo(this.osv, `${ecosystem}\0${pkg}`, () => this.db.osvAffected(ecosystem, pkg));
  }

  hasRelease(distro: string, release: string): boolean {
    return memo(this.releases, `${distro}\0${release}`, () => this.db.hasRelease(distro, release));
  }

  updatedAt(): string | undefined {
    this.updated ??= { at: this.db.updatedAt() };
    return this.updated.at;
  }
}

function memo<T>(map: Map<string, T>, key: string, load: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = load();
    map.set(key, value);
  }
  return value;
}
