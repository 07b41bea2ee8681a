import { invalidParameter, type DomainError } from '../../lib/errors.js';

/** CloudWatch Logs' answer to a pattern it cannot read. */
export const INVALID_PATTERN = 'Invalid filter pattern';

/** The error for a malformed filter pattern (InvalidParameterException on the wire). */
export function invalidPattern(message: string = INVALID_PATTERN): DomainError {
  return invalidParameter(message);
}

const SPACE = /\s/;

/**
 * A cursor over the text of a filter pattern, with the few reads the JSON and space-delimited
 * grammars share. Every read either consumes what it returns or leaves the position unchanged.
 */
export class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  /** Whether only whitespace is left. */
  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  /** Skips whitespace. */
  skipSpace(): void {
    while (this.pos < this.text.length && SPACE.test(this.text[this.pos]!)) this.pos++;
  }

  /** The character at the cursor after whitespace, without consuming it. */
  peek(): string | undefined {
    this.skipSpace();
    return this.text[this.pos];
  }

  /** Consumes `token` (after whitespace) when the text continues with it. */
  take(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  /** Consumes `token` or fails the pattern. */
  expect(token: string): void {
    if (!this.take(token)) throw invalidPattern();
  }

  /** Consumes a case-insensitive keyword that is followed by a non-word character. */
  takeKeyword(word: string): boolean {
    this.skipSpace();
    const end = this.pos + word.length;
    if (this.text.slice(this.pos, end).toUpperCase() !== word) return false;
    if (end < this.text.length && /\w/.test(this.text[end]!)) return false;
    this.pos = end;
    return true;
  }

  /** Reads the comparison operator at the cursor, if any (longest first). */
  takeOperator(): '=' | '!=' | '<=' | '>=' | '<' | '>' | undefined {
    for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) if (this.take(op)) return op;
    return undefined;
  }

  /**
   * Reads a double-quoted string at the cursor (the opening quote included), with `\"` and `\\`
   * as escapes; other backslashes stay as written. Fails on a missing closing quote.
   */
  readQuoted(): string {
    this.skipSpace();
    if (this.text[this.pos] !== '"') throw invalidPattern();
    let out = '';
    for (let i = this.pos + 1; i < this.text.length; i++) {
      const c = this.text[i]!;
      if (c === '\\' && (this.text[i + 1] === '"' || this.text[i + 1] === '\\')) {
        out += this.text[++i];
      } else if (c === '"') {
        this.pos = i + 1;
        return out;
      } else out += c;
    }
    throw invalidPattern();
  }

  /** Reads a `%regex%` at the cursor (both percent signs included) and returns its body. */
  readRegex(): string {
    this.skipSpace();
    if (this.text[this.pos] !== '%') throw invalidPattern();
    const end = this.text.indexOf('%', this.pos + 1);
    if (end < 0) throw invalidPattern();
    const body = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return body;
  }

  /** Reads characters until whitespace or one of `stops`; may return ''. */
  readUntil(stops: string): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (SPACE.test(c) || stops.includes(c)) break;
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }
}
