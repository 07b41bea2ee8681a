import { CREDENTIAL_EXTENSIONS, CREDENTIAL_FILES, baseName, extensionOf } from '../lib/image-files.js';

/** The parts of an OCI image configuration the checks read. */
export interface ImageConfigDocument {
  config?: {
    User?: string;
    Env?: string[];
    Healthcheck?: { Test?: string[] };
  };
  history?: { created_by?: string; empty_layer?: boolean }[];
}

/**
 * One file of the image's merged file system (whiteouts applied), its path relative to the root
 * (`etc/passwd`). `mode` is the tar header's mode, setuid and setgid bits included. `content` is
 * needed only for the files the checks read: etc/passwd, etc/group, etc/shadow,
 * etc/master.passwd and `.npmrc` files.
 */
export interface ImageFile {
  path: string;
  mode: number;
  type?: 'file' | 'directory' | 'symlink' | 'other';
  content?: string | Uint8Array;
}

export type ImageLevel = 'FATAL' | 'WARN' | 'INFO';

/** One check that fired, with dockle's code, default level and title; `alerts` say where. */
export interface ImageFinding {
  code: string;
  level: ImageLevel;
  title: string;
  alerts: string[];
}

const CHECKS: Record<string, { level: ImageLevel; title: string }> = {
  'CIS-DI-0001': { level: 'WARN', title: 'Create a user for the container' },
  'CIS-DI-0006': { level: 'INFO', title: 'Add HEALTHCHECK instruction to the container image' },
  'CIS-DI-0008': { level: 'INFO', title: 'Confirm safety of setuid/setgid files' },
  'CIS-DI-0009': { level: 'FATAL', title: 'Use COPY instead of ADD in Dockerfile' },
  'CIS-DI-0010': { level: 'FATAL', title: 'Do not store credential in environment variables/files' },
  'DKL-DI-0004': { level: 'FATAL', title: 'Use "apk add" with --no-cache' },
  'DKL-DI-0005': { level: 'FATAL', title: 'Clear apt-get caches' },
  'DKL-DI-0006': { level: 'WARN', title: 'Avoid latest tag' },
  'DKL-LI-0001': { level: 'FATAL', title: 'Avoid empty password' },
  'DKL-LI-0002': { level: 'FATAL', title: 'Be unique UID/GROUP' },
};

/** dockle's suspicious words in environment variable names. */
const SECRET_ENV = /PASS|PASSWD|PASSWORD|SECRET|KEY|ACCESS|TOKEN/i;
const text = (f: ImageFile | undefined): string | undefined => (f?.content === undefined ? undefined : typeof f.content === 'string' ? f.content : Buffer.from(f.content).toString('utf8'));

/** `ls -l`'s mode string of a file (`-rwsr-xr-x`). */
export function modeString(mode: number): string {
  const bit = (mask: number, c: string): string => (mode & mask ? c : '-');
  const exec = (x: number, special: number, set: string): string => (mode & special ? (mode & x ? set : set.toUpperCase()) : bit(x, 'x'));
  return `-${bit(0o400, 'r')}${bit(0o200, 'w')}${exec(0o100, 0o4000, 's')}${bit(0o40, 'r')}${bit(0o20, 'w')}${exec(0o10, 0o2000, 's')}${bit(0o4, 'r')}${bit(0o2, 'w')}${exec(0o1, 0o1000, 't')}`;
}

const isRoot = (user: string): boolean => user === '' || user === 'root' || user === '0' || user.startsWith('root:') || user.startsWith('0:');

/** Duplicate ids (the third field) of a passwd or group file, as dockle words them. */
function duplicateIds(content: string, what: 'UID' | 'GroupID'): string[] {
  const seen = new Set<string>();
  const alerts: string[] = [];
  for (const line of content.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 3 || line.startsWith('#')) continue;
    if (seen.has(fields[2]!)) alerts.push(`duplicate ${what} ${fields[2]} : username ${fields[0]}`);
    seen.add(fields[2]!);
  }
  return alerts;
}

/** A history entry's words: ADD shows as `/bin/sh -c #(nop) ADD file:… in /`, or BuildKit's `ADD … # buildkit`. */
const historyWords = (entry: string): string[] => entry.split(/\s+/);

/**
 * Checks an image in the spirit of dockle, from its configuration, its merged file listing and
 * the tag it is looked at under. Pure: the caller reads the layers.
 */
export function lintImage(config: ImageConfigDocument, files: readonly ImageFile[], tag: string): ImageFinding[] {
  const alerts = new Map<string, string[]>();
  const alert = (code: string, message: string): void => {
    alerts.set(code, [...(alerts.get(code) ?? []), message]);
  };
  const byPath = new Map(files.map((f) => [f.path.replace(/^\/+/, ''), f]));

  if (isRoot(config.config?.User ?? '')) alert('CIS-DI-0001', 'Last user should not be root');
  if (!config.config?.Healthcheck?.Test || config.config.Healthcheck.Test[0] === 'NONE') alert('CIS-DI-0006', 'not found HEALTHCHECK statement');

  for (const f of files) {
    if (f.type === 'directory' || f.type === 'symlink') continue;
    const path = `/${f.path.replace(/^\/+/, '')}`;
    if (f.mode & 0o4000) alert('CIS-DI-0008', `setuid file: ${modeString(f.mode)} ${path}`);
    if (f.mode & 0o2000) alert('CIS-DI-0008', `setgid file: ${modeString(f.mode)} ${path}`);
    const name = baseName(path);
    if (CREDENTIAL_FILES.has(name)) alert('CIS-DI-0010', `Suspicious filename found : ${path}`);
    else if (CREDENTIAL_EXTENSIONS.has(extensionOf(name))) alert('CIS-DI-0010', `Suspicious file extension found : ${path}`);
    else if (name === '.npmrc' && /_authToken\s*=\s*\S/.test(text(f) ?? '')) alert('CIS-DI-0010', `npm auth token found : ${path}`);
  }

  // The base image's own rootfs comes in by the first ADD; dockle lets that one pass.
  const adds = (config.history ?? []).map((h) => h.created_by ?? '').filter((c) => {
    const words = historyWords(c);
    return words.includes('ADD') && (words.includes('in') || words.includes('buildkit'));
  });
  for (const created of adds.slice(1)) alert('CIS-DI-0009', `Use COPY : ${created}`);

  for (const entry of config.config?.Env ?? []) {
    const name = entry.split('=')[0]!;
    if (SECRET_ENV.test(name)) alert('CIS-DI-0010', `Suspicious ENV key found : ${name}`);
  }

  // What the history says was run: apt without removing its lists, apk without --no-cache.
  for (const created of (config.history ?? []).map((h) => h.created_by ?? '')) {
    if (/apt-get\s+(\S+\s+)*(update|install)\b/.test(created) && !/rm\s+-(rf|fr)\s+\/var\/lib\/apt\/lists/.test(created)) alert('DKL-DI-0005', `Use 'rm -rf /var/lib/apt/lists' after 'apt-get install|update' : ${created}`);
    if (/apk\s+(\S+\s+)*add\b/.test(created) && !created.includes('--no-cache')) alert('DKL-DI-0004', `Use --no-cache option if use 'apk add': ${created}`);
  }
  const aptLists = files.filter((f) => f.type !== 'directory' && /^\/?var\/lib\/apt\/lists\/[^/]+$/.test(f.path) && !/\/(lock|auxfiles)$/.test(f.path));
  if (aptLists.length > 0) alert('DKL-DI-0005', `apt lists left in the image: ${aptLists.length} file(s) under /var/lib/apt/lists`);
  const apkCache = files.filter((f) => f.type !== 'directory' && /^\/?var\/cache\/apk\/[^/]+$/.test(f.path));
  if (apkCache.length > 0) alert('DKL-DI-0004', `apk cache left in the image: ${apkCache.length} file(s) under /var/cache/apk`);

  if (tag === 'latest') alert('DKL-DI-0006', "Avoid 'latest' tag");

  for (const file of ['etc/shadow', 'etc/master.passwd']) {
    for (const line of (text(byPath.get(file)) ?? '').split('\n')) {
      const fields = line.split(':');
      if (line === '' || line.startsWith('#') || fields.length < 2) continue;
      if (fields[1] === '') alert('DKL-LI-0001', `No password user found! username : ${fields[0]}`);
    }
  }
  const passwd = text(byPath.get('etc/passwd'));
  if (passwd !== undefined) for (const a of duplicateIds(passwd, 'UID')) alert('DKL-LI-0002', a);
  const group = text(byPath.get('etc/group'));
  if (group !== undefined) for (const a of duplicateIds(group, 'GroupID')) alert('DKL-LI-0002', a);

  const order: Record<ImageLevel, number> = { FATAL: 0, WARN: 1, INFO: 2 };
  return [...alerts]
    .map(([code, list]) => ({ code, ...CHECKS[code]!, alerts: list }))
    .sort((a, b) => order[a.level] - order[b.level] || a.code.localeCompare(b.code));
}
