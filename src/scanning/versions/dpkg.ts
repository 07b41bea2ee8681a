/**
 * Debian package versions, compared as dpkg does (Debian Policy 5.6.12): `[epoch:]upstream[-revision]`,
 * the epoch numerically (absent is 0), then upstream and revision each by alternating non-digit and
 * digit runs. In a non-digit run, letters sort before non-letters, and `~` before everything, even the
 * end of the string (so `1.0~rc1` < `1.0`). Digit runs compare as numbers, empty as 0.
 */
export interface DpkgVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/** Splits a version into its three parts; the revision is after the last hyphen, the epoch before the first colon. */
export function parseDpkgVersion(raw: string): DpkgVersion {
  const version = raw.trim();
  const colon = version.indexOf(':');
  const epoch = colon >= 0 && /^\d+$/.test(version.slice(0, colon)) ? Number(version.slice(0, colon)) : 0;
  const rest = colon >= 0 ? version.slice(colon + 1) : version;
  const hyphen = rest.lastIndexOf('-');
  return hyphen >= 0
    ? { epoch, upstream: rest.slice(0, hyphen), revision: rest.slice(hyphen + 1) }
    : { epoch, upstream: rest, revision: '' };
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** dpkg's `order()`: the weight of one character of a non-digit run (NaN stands for the end). */
function order(c: number | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (isLetter(c)) return c;
  if (c === 126 /* ~ */) return -1;
  return c + 256;
}

/** dpkg's `verrevcmp()` on one part (upstream or revision). */
function compareParts(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(i < a.length ? a.charCodeAt(i) : undefined);
      const bc = order(j < b.length ? b.charCodeAt(j) : undefined);
      if (ac !== bc) return Math.sign(ac - bc);
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (i < a.length && isDigit(a.charCodeAt(i)) && j < b.length && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return Math.sign(firstDiff);
  }
  return 0;
}

/** Compares two Debian versions: negative, zero or positive. */
export function compareDpkg(a: string, b: string): number {
  const va = parseDpkgVersion(a);
  const vb = parseDpkgVersion(b);
  if (va.epoch !== vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
  return compareParts(va.upstream, vb.upstream) || compareParts(va.revision, vb.revision);
}
