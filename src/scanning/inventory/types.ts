/** What kind of package a record is; it decides the advisories it is matched against. */
export type PackageType = 'dpkg' | 'apk' | 'rpm' | 'npm' | 'python' | 'go' | 'java';

/** One installed package found in an image. */
export interface InstalledPackage {
  type: PackageType;
  name: string;
  version: string;
  /** OS packages: the source package it was built from (dpkg `Source:`, apk origin, rpm SOURCERPM). */
  sourceName?: string;
  /** The source package's version when it differs from the binary's (dpkg `Source: name (version)`). */
  sourceVersion?: string;
  arch?: string;
  /** The file in the image that declares it (a jar inside a jar is `outer.jar!inner.jar`). */
  path: string;
}

/** The fields of `os-release` the scanner uses. */
export interface OsRelease {
  /** `ID`, e.g. `debian`, `alpine`, `rhel`. */
  id: string;
  versionId?: string;
  /** `VERSION_CODENAME`, e.g. `bookworm`: Debian's advisories are per codename. */
  versionCodename?: string;
  prettyName?: string;
}

/** What one file of a layer contributes. */
export interface FileFindings {
  path: string;
  packages: InstalledPackage[];
  osRelease?: OsRelease;
}

/**
 * The inventory of one layer on its own: the files it writes that declare packages, and what it
 * deletes from the layers below. Whiteouts only make sense against lower layers, so a layer's
 * inventory keeps them and the image's inventory applies them; that is what lets a layer's
 * inventory be cached by its digest and reused by every image that shares the layer.
 */
export interface LayerInventory {
  files: FileFindings[];
  /** Paths deleted by `.wh.<name>` entries. */
  deleted: string[];
  /** Directories whose lower contents are hidden by `.wh..wh..opq`. */
  opaque: string[];
  /** Files that looked like package records but could not be read, with why (the scan goes on). */
  problems: { path: string; reason: string }[];
  /**
   * The files of the layer the image checks read ({@link FileFact}), whiteouts unapplied like the
   * rest. Absent in an inventory read before the checks needed them.
   */
  facts?: FileFact[];
}

/**
 * One file of a layer an image check reads: setuid/setgid files, credential-looking names, package
 * manager caches (path and mode), and the account databases and `.npmrc` files (their content too).
 */
export interface FileFact {
  path: string;
  /** The tar header's mode, setuid and setgid bits included. */
  mode: number;
  content?: string;
}

/** The inventory of an image: its OS and every package its merged file system declares. */
export interface ImageInventory {
  os?: OsRelease;
  packages: InstalledPackage[];
  problems: { path: string; reason: string }[];
  /** The layers' file facts on the merged file system (whiteouts applied, the top layer's file winning). */
  files?: FileFact[];
}
