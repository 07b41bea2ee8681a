/**
 * Alpine package versions, compared as apk-tools 2 does (`apk_version_compare`): a version is
 * `digits{.digits}[letter]{_suffix[digits]}[-rdigits]`, read as a sequence of tokens. Pre-release
 * suffixes `_alpha` < `_beta` < `_pre` < `_rc` sort before the bare version, post-release ones
 * `_cvs` < `_svn` < `_git` < `_hg` < `_p` after it; `-rN` is the package revision. A dotted part with
 * leading zeros counts as a fraction (`1.01` < `1.1`), as apk reads it. The token reading follows
 * apk-tools 2's version.c line by line, quirks included (after a `.0` part the next token is read as
 * digits, so `1.0_alpha` sorts after `1.0`): the scanner must order versions as apk upgrades them.
 */
enum Token {
  DigitOrZero = 0,
  Digit = 1,
  Letter = 2,
  Suffix = 3,
  SuffixNo = 4,
  RevisionNo = 5,
  End = 6,
  Invalid = 7,
}

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';

/** A cursor over a version string, with the kind of the token it stands before. */
interface Cursor {
  s: string;
  pos: number;
  type: Token;
}

/** apk's `next_token`: decides the kind of the next token from the separator at the cursor. */
function nextToken(c: Cursor): void {
  let n = Token.Invalid;
  const ch = c.s[c.pos];
  if (c.pos >= c.s.length) n = Token.End;
  else if ((c.type === Token.Digit || c.type === Token.DigitOrZero) && isLower(ch)) n = Token.Letter;
  else if (c.type === Token.Letter && isDigit(ch)) n = Token.Digit;
  else if (c.type === Token.Suffix && isDigit(ch)) n = Token.SuffixNo;
  else {
    if (ch === '.') n = Token.DigitOrZero;
    else if (ch === '_') n = Token.Suffix;
    else if (ch === '-' && c.s[c.pos + 1] === 'r') {
      n = Token.RevisionNo;
      c.pos++;
    }
    c.pos++;
  }
  if (n < c.type) {
    const allowed =
      (n === Token.DigitOrZero && c.type === Token.Digit) ||
      (n === Token.Suffix && c.type === Token.SuffixNo) ||
      (n === Token.Digit && c.type === Token.Letter);
    if (!allowed) n = Token.Invalid;
  }
  c.type = n;
}

/** apk's `get_token`: the value of the token at the cursor, advancing past it. */
function getToken(c: Cursor): number {
  if (c.pos >= c.s.length) {
    c.type = Token.End;
    return 0;
  }
  let v = 0;
  let i = c.pos;
  let nextType: Token | undefined;
  switch (c.type) {
    case Token.DigitOrZero:
      if (c.s[i] === '0') {
        while (i < c.s.length && c.s[i] === '0') i++;
        nextType = Token.Digit;
        v = -(i - c.pos);
        break;
      }
    // falls through: a dotted part without leading zeros reads as a number
    case Token.Digit:
    case Token.SuffixNo:
    case Token.RevisionNo:
      while (i < c.s.length && isDigit(c.s[i])) {
        v = v * 10 + (c.s.charCodeAt(i) - 48);
        i++;
      }
      break;
    case Token.Letter:
      v = c.s.charCodeAt(i);
      i++;
      break;
    case Token.Suffix: {
      const rest = c.s.slice(i);
      const pre = PRE_SUFFIXES.findIndex((p) => rest.startsWith(p));
      if (pre >= 0) {
        v = pre - PRE_SUFFIXES.length;
        i += PRE_SUFFIXES[pre]!.length;
        break;
      }
      const post = POST_SUFFIXES.findIndex((p) => rest.startsWith(p));
      if (post >= 0) {
        v = post;
        i += POST_SUFFIXES[post]!.length;
        break;
      }
      c.type = Token.Invalid;
      return -1;
    }
    default:
      c.type = Token.Invalid;
      return -1;
  }
  c.pos = i;
  if (c.pos >= c.s.length) c.type = Token.End;
  else if (nextType !== undefined) c.type = nextType;
  else nextToken(c);
  return v;
}

/** Compares two apk versions: negative, zero or positive. */
export function compareApk(a: string, b: string): number {
  const ca: Cursor = { s: a.trim(), pos: 0, type: Token.Digit };
  const cb: Cursor = { s: b.trim(), pos: 0, type: Token.Digit };
  let av = 0;
  let bv = 0;
  while (ca.type === cb.type && ca.type !== Token.End && ca.type !== Token.Invalid && av === bv) {
    av = getToken(ca);
    bv = getToken(cb);
  }
  if (av !== bv) return av < bv ? -1 : 1;
  if (ca.type === cb.type) return 0;
  // Equal so far: the longer one is newer, unless what it goes on with is a pre-release suffix.
  if (ca.type === Token.Suffix && getToken({ ...ca }) < 0) return -1;
  if (cb.type === Token.Suffix && getToken({ ...cb }) < 0) return 1;
  if (ca.type > cb.type) return -1;
  if (cb.type > ca.type) return 1;
  return 0;
}

/** Whether apk would accept `version` as a version at all. */
export function isValidApkVersion(version: string): boolean {
  return /^\d+(\.\d+)*[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*(-r\d+)?$/.test(version);
}
