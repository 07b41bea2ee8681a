import type { InstalledPackage } from './types.js';

/** The start of the build info blob the Go linker writes into every binary (section `.go.buildinfo`). */
export const GO_BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
/** Flag bit 2 of the header: the version and module strings follow the header inline (Go ≥ 1.18). */
const FLAG_INLINE_STRINGS = 0x2;
const HEADER_SIZE = 32;

function readUvarint(buf: Buffer, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  throw new Error('truncated varint in Go build info');
}

function readBytes(buf: Buffer, at: number): [value: Buffer, next: number] {
  const [length, start] = readUvarint(buf, at);
  if (start + length > buf.length) throw new Error('Go build info string runs past the file');
  return [buf.subarray(start, start + length), start + length];
}

/** Go's version and module info, from a binary, or undefined when it has none or the pre-1.18 layout. */
export function readGoBuildInfo(binary: Buffer): { goVersion: string; modinfo: string } | undefined {
  const at = binary.indexOf(GO_BUILDINFO_MAGIC);
  if (at < 0 || at + HEADER_SIZE > binary.length) return undefined;
  const flags = binary[at + 15]!;
  // Before Go 1.18 the header holds pointers into the data segment, which needs the ELF/Mach-O
  // section map to follow; such binaries are not read.
  if ((flags & FLAG_INLINE_STRINGS) === 0) return undefined;
  const [goVersion, next] = readBytes(binary, at + HEADER_SIZE);
  let [modinfo] = readBytes(binary, next);
  // The module info is framed by two 16-byte sentinels (cmd/go/internal/modload's infoStart/infoEnd).
  if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === 0x0a) modinfo = modinfo.subarray(16, -16);
  return { goVersion: goVersion.toString('utf8'), modinfo: modinfo.toString('utf8') };
}

/**
 * The modules of a Go binary: the main module (unless built from a checkout, `(devel)`), every
 * dependency (a `=>` line replaces the dependency before it), and the standard library as
 * `stdlib` at the toolchain's version, as the Go vulnerability database names it.
 */
export function parseGoBinary(binary: Buffer, path: string): InstalledPackage[] {
  const info = readGoBuildInfo(binary);
  if (!info) return [];
  const packages: InstalledPackage[] = [];
  const m = /^go(\d+(?:\.\d+)*)/.exec(info.goVersion);
  if (m) packages.push({ type: 'go', name: 'stdlib', version: `v${m[1]}`, path });
  for (const line of info.modinfo.split('\n')) {
    const [kind, modulePath, version] = line.split('\t');
    if (!modulePath || !version) continue;
    if (kind === 'mod' || kind === 'dep') {
      if (version !== '(devel)') packages.push({ type: 'go', name: modulePath, version, path });
    } else if (kind === '=>' && packages.length > 0 && packages.at(-1)!.name !== 'stdlib') {
      packages[packages.length - 1] = { type: 'go', name: modulePath, version, path };
    }
  }
  return packages;
}

/** Builds a Go ≥ 1.18 build info blob (header and inline strings), for fixtures where no Go toolchain is at hand. */
export function buildGoBuildInfo(goVersion: string, modinfoLines: string[]): Buffer {
  const varint = (n: number): Buffer => {
    const bytes: number[] = [];
    while (n >= 0x80) {
      bytes.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    bytes.push(n);
    return Buffer.from(bytes);
  };
  const str = (s: string): Buffer => Buffer.concat([varint(Buffer.byteLength(s)), Buffer.from(s)]);
  const sentinelStart = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex').toString('latin1');
  const sentinelEnd = Buffer.from('f932433186182072008242104116d8f2', 'hex').toString('latin1');
  const header = Buffer.alloc(HEADER_SIZE);
  GO_BUILDINFO_MAGIC.copy(header);
  header[14] = 8;
  header[15] = FLAG_INLINE_STRINGS;
  const modinfo = Buffer.from(`${sentinelStart}${modinfoLines.join('\n')}\n${sentinelEnd}`, 'latin1');
  return Buffer.concat([header, str(goVersion), varint(modinfo.length), modinfo]);
}
