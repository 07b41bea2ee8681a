/**
 * Maven versions, ordered as Maven's `ComparableVersion` (maven-artifact 3.x): the version is split at
 * `.`, `-` and digit/letter transitions into numbers and qualifiers; a `-` (or a transition) opens a
 * sub-list. Qualifiers order alpha (a) < beta (b) < milestone (m) < rc (cr) < snapshot < release
 * ("", ga, final) < sp < any other (lexically); `a1`, `b1`, `m1` read as alpha-1, beta-1, milestone-1.
 * Trailing "null" items (0, release qualifiers, empty lists) are dropped, so `1.0` = `1` = `1-ga`.
 * This is the parser of maven-artifact 3.6–3.8, cycles included where `.qualifier` and
 * `-qualifier` mix (`1-alpha` < `1` < `1.foo` < `1-alpha`); Maven 3.9's reading of `.foo` as `-foo`
 * and its combination items are not reproduced.
 */
type Item = { kind: 'int'; value: bigint } | { kind: 'string'; value: string } | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

function stringItem(raw: string, followedByDigit: boolean): Item {
  let value = raw;
  if (followedByDigit && value.length === 1) value = { a: 'alpha', b: 'beta', m: 'milestone' }[value] ?? value;
  return { kind: 'string', value: ALIASES[value] ?? value };
}

/** A qualifier's sort key, compared as a string: known ones by index, others after them by name. */
function comparableQualifier(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

const strcmp = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.value === 0n;
  if (item.kind === 'string') return comparableQualifier(item.value) === RELEASE_INDEX;
  return item.items.length === 0;
}

function parseItem(isDigit: boolean, buf: string): Item {
  return isDigit ? { kind: 'int', value: BigInt(buf) } : stringItem(buf, false);
}

function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i]!;
    if (isNull(last)) list.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

/** Parses a version into ComparableVersion's item tree. */
export function parseMaven(raw: string): Item {
  const version = raw.trim().toLowerCase();
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  let isDigit = false;
  let start = 0;
  const openList = (): void => {
    const next: Item[] = [];
    list.push({ kind: 'list', items: next });
    list = next;
    stack.push(next);
  };
  for (let i = 0; i < version.length; i++) {
    const c = version[i]!;
    if (c === '.' || c === '-') {
      list.push(i === start ? { kind: 'int', value: 0n } : parseItem(isDigit, version.slice(start, i)));
      start = i + 1;
      if (c === '-') openList();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.push(stringItem(version.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, version.slice(start, i)));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (version.length > start) list.push(parseItem(isDigit, version.slice(start)));
  while (stack.length > 0) normalize(stack.pop()!);
  return { kind: 'list', items: root };
}

/** ComparableVersion's `Item.compareTo`, `null` standing for a missing item. */
function compareItem(a: Item, b: Item | null): number {
  if (a.kind === 'int') {
    if (b === null) return a.value === 0n ? 0 : 1;
    if (b.kind === 'int') return a.value === b.value ? 0 : a.value < b.value ? -1 : 1;
    return 1;
  }
  if (a.kind === 'string') {
    if (b === null) return strcmp(comparableQualifier(a.value), RELEASE_INDEX);
    if (b.kind === 'string') return strcmp(comparableQualifier(a.value), comparableQualifier(b.value));
    return -1;
  }
  if (b === null) return a.items.length === 0 ? 0 : compareItem(a.items[0]!, null);
  if (b.kind === 'int') return -1;
  if (b.kind === 'string') return 1;
  for (let i = 0; i < Math.max(a.items.length, b.items.length); i++) {
    const l = a.items[i];
    const r = b.items[i];
    const result = l === undefined ? (r === undefined ? 0 : -compareItem(r, null)) : compareItem(l, r ?? null);
    if (result !== 0) return result;
  }
  return 0;
}

/** Compares two Maven versions: negative, zero or positive. */
export function compareMaven(a: string, b: string): number {
  return Math.sign(compareItem(parseMaven(a), parseMaven(b)));
}
