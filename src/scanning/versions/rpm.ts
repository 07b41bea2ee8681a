/**
 * RPM versions, compared as rpm's `rpmvercmp()` does, on `[epoch:]version[-release]` (an absent epoch
 * is 0). Each of version and release is split into runs of digits or letters; other characters only
 * separate, except `~` (sorts before anything, even the end: `1.0~rc1` < `1.0`) and `^` (sorts after
 * the end but before anything else: `1.0` < `1.0^git1` < `1.0.1`). Digit runs compare as numbers and
 * beat letter runs; letter runs compare as strings.
 */
export interface RpmVersion {
  epoch: number;
  version: string;
  release: string;
}

export function parseRpmVersion(raw: string): RpmVersion {
  const s = raw.trim();
  const colon = s.indexOf(':');
  const epoch = colon >= 0 && /^\d+$/.test(s.slice(0, colon)) ? Number(s.slice(0, colon)) : 0;
  const rest = colon >= 0 ? s.slice(colon + 1) : s;
  const hyphen = rest.lastIndexOf('-');
  return hyphen >= 0 ? { epoch, version: rest.slice(0, hyphen), release: rest.slice(hyphen + 1) } : { epoch, version: rest, release: '' };
}

const isAlnum = (c: string | undefined): boolean => c !== undefined && /[0-9A-Za-z]/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean => c !== undefined && /[A-Za-z]/.test(c);

/** rpm's `rpmvercmp()` on one string. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    const numeric = isDigit(a[i]);
    const test = numeric ? isDigit : isAlpha;
    const si = i;
    const sj = j;
    while (i < a.length && test(a[i])) i++;
    while (j < b.length && test(b[j])) j++;
    let one = a.slice(si, i);
    let two = b.slice(sj, j);
    // The two segments are of different kinds: a numeric one is newer.
    if (two.length === 0) return numeric ? 1 : -1;
    if (numeric) {
      one = one.replace(/^0+/, '');
      two = two.replace(/^0+/, '');
      if (one.length !== two.length) return one.length > two.length ? 1 : -1;
    }
    if (one !== two) return one < two ? -1 : 1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/**
 * Compares two full RPM versions: epoch, version, then release, as rpm compares two installed headers.
 * A missing release is the empty string, older than any release, which keeps this a total order
 * (rpm's dependency matching, where `1.0` satisfies every release, is not an order).
 */
export function compareRpm(a: string, b: string): number {
  const va = parseRpmVersion(a);
  const vb = parseRpmVersion(b);
  if (va.epoch !== vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
  const v = rpmvercmp(va.version, vb.version);
  if (v !== 0) return v;
  return rpmvercmp(va.release, vb.release);
}
