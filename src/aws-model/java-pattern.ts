/**
 * Java regular expressions, as AWS models spell their `pattern` traits, translated to JavaScript.
 */

const patterns = new Map<string, RegExp | undefined>();

/**
 * Compiles a model's Java regex as AWS applies it: the whole value must match. The pattern is
 * translated where Java and JavaScript differ (`\p{Alpha}`-style classes, needless escapes like
 * `\:` that the `u` flag refuses, `\Q…\E`, possessive quantifiers, nested class unions) and
 * compiled with the `u` flag so that `\p{L}` works; failing that, without it. Returns undefined
 * for Java-only constructs (class intersections, `\G`, inline flags past the start, …) or when
 * neither compiles; the pattern is then not checked. Cached per pattern.
 */
export function javaPatternToRegExp(pattern: string): RegExp | undefined {
  if (patterns.has(pattern)) return patterns.get(pattern);
  let regex: RegExp | undefined;
  const translated = translateJavaPattern(pattern);
  // Not the untranslated pattern as a last resort: where translation gave up, JavaScript would
  // read it with another meaning, and refusing valid requests is worse than not checking.
  const attempts: Array<[string, string]> =
    translated === undefined ? [] : [[translated.source, `u${translated.flags}`], [translated.source, translated.flags]];
  for (const [source, flags] of attempts) {
    try {
      regex = new RegExp(`^(?:${source})$`, flags);
      break;
    } catch {
      // Try the next form.
    }
  }
  patterns.set(pattern, regex);
  return regex;
}

const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};
// Java's \s, \h and \v, which JavaScript's differ from.
const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';
const JAVA_HSPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';
const JAVA_VSPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';
const SYNTAX = '^$\\.*+?()[]{}|/';

/** The JavaScript source and flags for a Java pattern, or undefined for Java-only constructs. */
function translateJavaPattern(pattern: string): { source: string; flags: string } | undefined {
  let src = pattern;
  let flags = '';
  if (src.startsWith('(?i)')) {
    flags = 'i';
    src = src.slice(4);
  }
  let out = '';
  let classDepth = 0; // > 1 inside a Java nested class, whose brackets are dropped (a union)
  let afterQuantifier: boolean = false;
  const set = (contents: string, negated: boolean): string =>
    classDepth > 0 ? (negated ? '\0' : contents) : `[${negated ? '^' : ''}${contents}]`;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const wasQuantifier: boolean = afterQuantifier;
    afterQuantifier = false;
    if (c === '\\') {
      const e = src[++i];
      if (e === undefined) return undefined;
      let piece: string | undefined;
      if ('dDwWbBnrtf'.includes(e)) piece = `\\${e}`;
      else if (e === 's' || e === 'S') piece = set(JAVA_SPACE, e === 'S');
      else if (e === 'h' || e === 'H') piece = set(JAVA_HSPACE, e === 'H');
      else if (e === 'v') piece = set(JAVA_VSPACE, false);
      else if (e === 'e') piece = '\\x1B';
      else if (e === 'a') piece = '\\x07';
      else if (e === 'A' && classDepth === 0) piece = '^';
      else if (e === 'z' && classDepth === 0) piece = '$';
      else if (e === 'Z' && classDepth === 0) piece = '(?=\\n?$)';
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 1, i + 5))) {
        piece = `\\u${src.slice(i + 1, i + 5)}`;
        i += 4;
      } else if (e === 'x') {
        const braced = /^\{([0-9a-fA-F]+)\}/.exec(src.slice(i + 1));
        if (braced) {
          piece = `\\u{${braced[1]}}`;
          i += braced[0].length;
        } else if (/^[0-9a-fA-F]{2}$/.test(src.slice(i + 1, i + 3))) {
          piece = `\\x${src.slice(i + 1, i + 3)}`;
          i += 2;
        } else return undefined;
      } else if (e === '0') {
        const octal = /^[0-7]{1,3}/.exec(src.slice(i + 1));
        if (!octal) return undefined;
        piece = `\\u{${parseInt(octal[0], 8).toString(16)}}`;
        i += octal[0].length;
      } else if (e >= '1' && e <= '9') piece = `\\${e}`;
      else if (e === 'c' && /[A-Za-z]/.test(src[i + 1] ?? '')) piece = `\\c${src[++i]}`;
      else if (e === 'k' && src[i + 1] === '<') {
        const end = src.indexOf('>', i);
        if (end < 0) return undefined;
        piece = src.slice(i - 1, end + 1);
        i = end;
      } else if (e === 'p' || e === 'P') {
        const braced = /^\{([^}]*)\}/.exec(src.slice(i + 1));
        const name = braced ? braced[1]! : src[i + 1];
        if (name === undefined) return undefined;
        i += braced ? braced[0].length : 1;
        piece = propertyEscape(name, e === 'P', set);
      } else if (e === 'Q') {
        const end = src.indexOf('\\E', i + 1);
        const quoted = src.slice(i + 1, end < 0 ? src.length : end);
        // `-` is only escaped inside a class: outside one the u flag refuses `\-`.
        piece = quoted.replace(classDepth > 0 ? /[\^$\\.*+?()[\]{}|/-]/g : /[\^$\\.*+?()[\]{}|/]/g, '\\$&');
        i = end < 0 ? src.length : end + 1;
      } else if (/[A-Za-z0-9]/.test(e)) return undefined; // \G, \R, \X, … have no JavaScript form
      else if (SYNTAX.includes(e)) piece = `\\${e}`;
      else if (e === '-') piece = classDepth > 0 ? '\\-' : '-';
      else piece = e; // Java allows escaping any punctuation; the u flag only its syntax characters.
      if (piece === undefined || piece === '\0') return undefined;
      out += piece;
      continue;
    }
    if (classDepth > 0) {
      if (c === '[') {
        if (src[i + 1] === '^') return undefined; // a negated nested class has no flat form
        classDepth++;
      } else if (c === ']') {
        classDepth--;
        if (classDepth === 0) out += ']';
      } else if (c === '&' && src[i + 1] === '&') {
        return undefined; // class intersection
      } else out += c;
      continue;
    }
    switch (c) {
      case '[': {
        classDepth = 1;
        out += '[';
        if (src[i + 1] === '^') out += src[++i];
        // Java reads a `]` right after the opening bracket as a literal.
        if (src[i + 1] === ']') {
          out += '\\]';
          i++;
        }
        break;
      }
      case ']':
      case '}':
        out += `\\${c}`;
        break;
      case '{': {
        const bounds = /^\{\d+(,\d*)?\}/.exec(src.slice(i));
        if (bounds) {
          out += bounds[0];
          i += bounds[0].length - 1;
          afterQuantifier = true;
        } else out += '\\{';
        break;
      }
      case '*':
      case '?':
      case '+':
        // A `+` right after a quantifier makes it possessive in Java; JavaScript has only greedy.
        if (c === '+' && wasQuantifier) break;
        out += c;
        afterQuantifier = c !== '?' || !wasQuantifier;
        break;
      case '(':
        if (src.startsWith('(?>', i)) {
          out += '(?:'; // atomic group: the closest JavaScript has is a plain group
          i += 2;
        } else if (src[i + 1] === '?' && !/^\(\?(:|=|!|<=|<!|<[A-Za-z])/.test(src.slice(i))) {
          return undefined; // inline flags
        } else out += c;
        break;
      default:
        out += c;
    }
  }
  return classDepth === 0 ? { source: out, flags } : undefined;
}

// `\p{…}` in Java: general categories, `Is…` properties and scripts, and POSIX classes.
function propertyEscape(
  name: string,
  negated: boolean,
  set: (contents: string, negated: boolean) => string,
): string | undefined {
  const posix = POSIX[name.startsWith('Is') ? name.slice(2) : name];
  if (posix !== undefined) return set(posix, negated);
  const p = negated ? 'P' : 'p';
  let bare = name.startsWith('Is') ? name.slice(2) : name;
  if (bare.startsWith('general_category=') || bare.startsWith('gc=')) bare = bare.slice(bare.indexOf('=') + 1);
  if (/^(L|Lu|Ll|Lt|Lm|Lo|LC|M|Mn|Mc|Me|N|Nd|Nl|No|P|Pc|Pd|Ps|Pe|Pi|Pf|Po|S|Sm|Sc|Sk|So|Z|Zs|Zl|Zp|C|Cc|Cf|Cs|Co|Cn)$/.test(bare)) {
    return `\\${p}{${bare}}`;
  }
  if (name.startsWith('Is')) {
    const binary: Record<string, string> = {
      Alphabetic: 'Alphabetic',
      Letter: 'L',
      Digit: 'Nd',
      Uppercase: 'Uppercase',
      Lowercase: 'Lowercase',
      White_Space: 'White_Space',
      WhiteSpace: 'White_Space',
      Punctuation: 'P',
      Control: 'Cc',
      Ideographic: 'Ideographic',
    };
    const property = binary[bare];
    // Anything else after `Is` is a script name, as in `\p{IsLatin}`.
    return property !== undefined ? `\\${p}{${property}}` : `\\${p}{Script=${bare}}`;
  }
  if (name.startsWith('script=') || name.startsWith('sc=')) return `\\${p}{Script=${name.slice(name.indexOf('=') + 1)}}`;
  return undefined; // blocks (`InGreek`), `java…` classes
}
