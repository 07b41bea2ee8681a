/**
 * Python package versions (PEP 440), ordered as the `packaging` library orders them:
 * `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, with the spellings PEP 440 normalises (`alpha`,
 * `c`, `pre`, `preview`, `rev`, `r`, `-N` as post, separators `.`, `-`, `_` or none). Order: epoch;
 * release (trailing zeros ignored); a dev release of a final before its pre-releases; pre-releases
 * (a < b < rc) before the final; post-releases after; dev releases before what they precede; a local
 * version after the same public version, its segments numeric-after-alphanumeric.
 */
export interface Pep440Version {
  epoch: number;
  release: number[];
  pre?: [letter: 'a' | 'b' | 'rc', number: number];
  post?: number;
  dev?: number;
  local?: (string | number)[];
}

const PATTERN =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/;

/** Parses a version, or undefined when it is not a PEP 440 version. */
export function parsePep440(raw: string): Pep440Version | undefined {
  const m = PATTERN.exec(raw.trim().toLowerCase());
  if (!m) return undefined;
  const v: Pep440Version = { epoch: Number(m[1] ?? 0), release: m[2]!.split('.').map(Number) };
  if (m[3] !== undefined) {
    const letter = m[3] === 'alpha' ? 'a' : m[3] === 'beta' ? 'b' : ['c', 'pre', 'preview', 'rc'].includes(m[3]) ? 'rc' : (m[3] as 'a' | 'b');
    v.pre = [letter, Number(m[4] ?? 0)];
  }
  if (m[5] !== undefined) v.post = Number(m[5]);
  else if (m[6] !== undefined) v.post = Number(m[7] ?? 0);
  if (m[8] !== undefined) v.dev = Number(m[9] ?? 0);
  if (m[10] !== undefined) v.local = m[10].split(/[-_.]/).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return v;
}

const PRE_ORDER = { a: 0, b: 1, rc: 2 } as const;

function compareRelease(a: number[], b: number[]): number {
  const trim = (r: number[]): number[] => {
    let n = r.length;
    while (n > 1 && r[n - 1] === 0) n--;
    return r.slice(0, n);
  };
  const x = trim(a);
  const y = trim(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The pre-release key: a dev release of a final sorts before every pre-release, a final after them all. */
function preKey(v: Pep440Version): number[] {
  if (v.pre) return [PRE_ORDER[v.pre[0]], v.pre[1]];
  if (v.post === undefined && v.dev !== undefined) return [-Infinity];
  return [Infinity];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? -Infinity;
    const y = b[i] ?? -Infinity;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function compareLocal(a: (string | number)[] | undefined, b: (string | number)[] | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x !== typeof y) return typeof x === 'number' ? 1 : -1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Compares two PEP 440 versions; a string that is not one sorts before every version, then by text. */
export function comparePep440(a: string, b: string): number {
  const va = parsePep440(a);
  const vb = parsePep440(b);
  if (!va || !vb) {
    if (va) return 1;
    if (vb) return -1;
    return a === b ? 0 : a < b ? -1 : 1;
  }
  return (
    Math.sign(va.epoch - vb.epoch) ||
    compareRelease(va.release, vb.release) ||
    compareKeys(preKey(va), preKey(vb)) ||
    compareKeys([va.post ?? -Infinity], [vb.post ?? -Infinity]) ||
    compareKeys([va.dev ?? Infinity], [vb.dev ?? Infinity]) ||
    compareLocal(va.local, vb.local)
  );
}
